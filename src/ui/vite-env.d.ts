// Vite's client types: lets UI modules import CSS (and assets) for the bundler.
/// <reference types="vite/client" />
