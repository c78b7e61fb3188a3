declare module 'virtual:@stela/trust-center/config' {
  const data: import('./site-data.js').SiteData;
  export default data;
}

declare module 'virtual:@stela/trust-center/components' {
  export const Header: (props: Record<string, unknown>) => unknown;
  export const Footer: (props: Record<string, unknown>) => unknown;
  export const StatusBadge: (props: Record<string, unknown>) => unknown;
}
