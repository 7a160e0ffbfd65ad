/**
 * Payframe's icon for its pages' tabs: a "P" on the checkout's accent blue,
 * drawn in SVG so one small file is sharp at every size. Served from memory.
 */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="7" fill="#2d4fd0"/>' +
  '<path d="M12 24V8h5.5a5 5 0 0 1 0 10H12" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/>' +
  '</svg>';
