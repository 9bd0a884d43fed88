// Asset imports resolved by Vite in the dashboards that consume this package.
declare module '*.css';
declare module '*?url' {
  const url: string;
  export default url;
}
