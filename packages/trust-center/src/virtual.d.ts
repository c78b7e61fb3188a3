declare module 'virtual:@stela/trust-center/config' {
  const data: import('./site-data.js').SiteData;
  export default data;
}

declare module 'virtual:@stela/trust-center/components' {
  export const Header: (props: Record<string, unknown>) => unknown;
  export const Footer: (props: Record<string, unknown>) => unknown;
  export const StatusBadge: (props: Record<string, unknown>) => unknown;
}

declare module '*?worker&url' {
  /** URL of a worker entry that Vite bundled on its own. */
  const url: string;
  export default url;
}
