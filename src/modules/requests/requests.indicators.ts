// The requests module's indicator set for monitoring rounds: the e-participation criterion of the
// national model, answered automatically per agency from the requests statistics (requests.stats.ts
// registers the metrics). Shipped as a built-in set (monitoring.builtin.ts lists it).
import type { IndicatorSetInput } from '../monitoring/monitoring.schema.ts';

const auto = (code: string, fa: string, en: string, type: 'percentage' | 'number' | 'scale', metric: string, rule = {}) => ({
  code,
  criterion: 'e-participation',
  description: { fa, en },
  type,
  weight: 1,
  answeredBy: 'auto' as const,
  metric,
  rule,
});

export const REQUESTS_SET: IndicatorSetInput = {
  key: 'requests-e-participation',
  name: { fa: 'مشارکت الکترونیکی: پاسخ‌گویی به درخواست‌های مردمی', en: 'E-participation: answering citizens’ requests' },
  scope: 'agency',
  rollup: 'criteria',
  criteria: [{ code: 'e-participation', name: { fa: 'مشارکت الکترونیکی', en: 'E-participation' }, weight: 1 }],
  indicators: [
    auto(
      'EP-1',
      'سهم درخواست‌های مردمی پاسخ‌داده‌شده در مهلت',
      'Share of citizens’ requests answered on time',
      'percentage',
      'requests.on-time-share',
    ),
    auto('EP-2', 'میانه روزهای پاسخ', 'Median days to answer', 'number', 'requests.median-days', { target: 10, better: 'lower' }),
    auto('EP-3', 'رضایت از پاسخ‌ها (۱ تا ۵)', 'Satisfaction with answers (1 to 5)', 'scale', 'requests.rating', { min: 1, max: 5 }),
    auto('EP-4', 'سهم درخواست‌های مهلت‌گذشته و بی‌پاسخ', 'Share of requests overdue and unanswered', 'number', 'requests.overdue-share', {
      target: 0,
      better: 'lower',
    }),
  ],
};
