import { render } from 'preact';
render(<p>Leakwatch</p>, document.getElementById('app')!);
