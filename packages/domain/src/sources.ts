/** The three streams of citizen demand behind the social condition index. */
export const SOURCES = ['petition', 'hotline', 'police'] as const;
export type Source = (typeof SOURCES)[number];

export const SOURCE_LABELS: Record<Source, { zh: string; en: string }> = {
  petition: { zh: '信访', en: 'Petitions' },
  hotline: { zh: '网络理政', en: '12345 online governance' },
  police: { zh: '110警情', en: '110 police calls' },
};

/** Channel of a petition. */
export const PETITION_CHANNELS = ['letter', 'visit', 'online'] as const;
export const PETITION_CHANNEL_LABELS = { letter: '来信', visit: '来访', online: '网上信访' } as const;

/** Nature of a 12345 case (the hotline's own classification). */
export const HOTLINE_NATURES = ['consult', 'help', 'complaint', 'suggestion', 'report', 'praise'] as const;
export const HOTLINE_NATURE_LABELS = {
  consult: '咨询',
  help: '求助',
  complaint: '投诉',
  suggestion: '建议',
  report: '举报',
  praise: '表扬',
} as const;

/** Nature of a 110 call: police matter (警情) or not (非警情). */
export const POLICE_NATURES = ['police', 'non_police'] as const;
export const POLICE_NATURE_LABELS = { police: '警情', non_police: '非警情' } as const;

export const POLICE_INCIDENT_TYPES = ['criminal', 'public_order', 'traffic', 'fire', 'rescue', 'dispute', 'other'] as const;
export const POLICE_INCIDENT_TYPE_LABELS = {
  criminal: '刑事',
  public_order: '治安',
  traffic: '交通',
  fire: '火灾',
  rescue: '救助',
  dispute: '纠纷',
  other: '其他',
} as const;

export const URGENCIES = ['emergency', 'urgent', 'normal', 'complex'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const URGENCY_LABELS: Record<Urgency, string> = {
  emergency: '紧急',
  urgent: '加急',
  normal: '一般',
  complex: '复杂',
};

/** Nature of a petition (信访事项性质). */
export const PETITION_NATURE_LABELS = { request: '求决', appeal: '申诉', accusation: '检举控告', suggestion: '意见建议' } as const;

/** Every source's natures with their Chinese labels, in display order. */
export const NATURE_LABELS: Record<Source, Readonly<Record<string, string>>> = {
  petition: PETITION_NATURE_LABELS,
  hotline: HOTLINE_NATURE_LABELS,
  police: POLICE_NATURE_LABELS,
};

export function natureLabel(source: Source, nature: string | null | undefined): string | null {
  if (!nature) return null;
  return NATURE_LABELS[source][nature] ?? nature;
}
