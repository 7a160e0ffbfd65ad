/** Stylesheets are imported for their side effect: Vite bundles them into the checkout's CSS file. */
declare module '*.css';
