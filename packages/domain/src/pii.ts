/**
 * Masking of personal data for display. Pure functions (no I/O); the salted hash used for
 * matching lives in the db package because it needs the deployment's secret salt.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export function maskName(name: string | null | undefined): string | null {
  if (!name) return null;
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** Resident ID (18 chars): keep the first 3 and last 2, e.g. 510***********12X → "510*************2X". */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return null;
  const value = id.trim();
  if (value.length <= 5) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 5)}${value.slice(-2)}`;
}
