/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional online basemap style URL; unset = the offline basemap built from our boundaries. */
  readonly VITE_BASEMAP_STYLE_URL?: string;
}
