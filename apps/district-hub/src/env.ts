/** Build-time configuration of this dashboard (the only place import.meta.env is read). */
export const BASEMAP_STYLE_URL: string | null = import.meta.env.VITE_BASEMAP_STYLE_URL || null;
