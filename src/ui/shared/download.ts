// Saves generated text as a file: a Blob and an <a download>, so nothing touches the network
// and no "downloads" permission is needed. The object URL is revoked once the click is done.
export function downloadText(text: string, fileName: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Reads a picked file as text. */
export function readFileText(file: Blob): Promise<string> {
  return file.text();
}
