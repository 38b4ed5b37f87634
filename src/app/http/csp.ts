/**
 * The Content-Security-Policy both listeners start from: everything from the page's own origin,
 * nothing from anywhere else, no plugins, no framing. Each listener adds what its pages need
 * (the main app's inline styles, the drop page's WebAssembly).
 */
export const SELF_ONLY_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
} as const satisfies Record<string, readonly string[]>;
