-- The counts of spec/indicators.md for each unit of a scope, for one month (k = 0) and the
-- month before (k = 1), computed from the dossiers themselves by GROUP BY: what motcua's
-- aggregates are compared with (BENCHMARKS.md). Runs unchanged on PostgreSQL and DuckDB.
-- Placeholders: {units} (quoted codes), {S} {E} {P} (month start, month end, previous
-- month start, microseconds since the epoch). Local dates are UTC+7 (25 200 000 000 µs): a
-- local day is written as its first microsecond, with % (no floor() in SQLite).
WITH periods(k, s, e) AS (VALUES (0, {S}, {E}), (1, {P}, {S})),
d AS (
  SELECT * FROM dossiers
  WHERE unit_code IN ({units}) AND received_at < {E}
    AND (resolved_at IS NULL OR resolved_at >= {P})
),
x AS (
  SELECT d.*, p.k, p.s, p.e,
    (d.received_at >= p.s AND d.received_at < p.e) AS rin,
    (d.resolved_at IS NOT NULL AND d.resolved_at >= p.s AND d.resolved_at < p.e
      AND d.outcome IN ('approved', 'rejected')) AS rsv,
    (d.resolved_at IS NULL OR d.resolved_at >= p.e) AS pnd
  FROM d JOIN periods p ON d.received_at < p.e
)
SELECT x.unit_code, CAST(x.k AS BIGINT) AS k,
  SUM(CASE WHEN rin THEN 1 ELSE 0 END) AS received,
  SUM(CASE WHEN rin AND channel = 'online' THEN 1 ELSE 0 END) AS received_online,
  SUM(CASE WHEN rin AND channel = 'online' AND online_level = 'full' THEN 1 ELSE 0 END) AS received_online_full,
  SUM(CASE WHEN rin AND channel = 'online' AND online_level = 'partial' THEN 1 ELSE 0 END) AS received_online_partial,
  SUM(CASE WHEN rin AND channel <> 'online' THEN 1 ELSE 0 END) AS received_direct,
  SUM(CASE WHEN received_at < s AND (resolved_at IS NULL OR resolved_at >= s) THEN 1 ELSE 0 END) AS carried_over,
  SUM(CASE WHEN rsv THEN 1 ELSE 0 END) AS resolved,
  SUM(CASE WHEN rsv AND outcome = 'approved' THEN 1 ELSE 0 END) AS resolved_approved,
  SUM(CASE WHEN rsv AND outcome = 'rejected' THEN 1 ELSE 0 END) AS resolved_rejected,
  SUM(CASE WHEN rsv AND (resolved_at + 25200000000 - (resolved_at + 25200000000) % 86400000000)
                      < (due_at + 25200000000 - (due_at + 25200000000) % 86400000000) THEN 1 ELSE 0 END) AS resolved_early,
  SUM(CASE WHEN rsv AND (resolved_at + 25200000000 - (resolved_at + 25200000000) % 86400000000)
                      = (due_at + 25200000000 - (due_at + 25200000000) % 86400000000)
               AND resolved_at <= due_at THEN 1 ELSE 0 END) AS resolved_on_time,
  SUM(CASE WHEN rsv AND resolved_at > due_at THEN 1 ELSE 0 END) AS resolved_late,
  SUM(CASE WHEN resolved_at >= s AND resolved_at < e AND outcome = 'withdrawn' THEN 1 ELSE 0 END) AS withdrawn,
  SUM(CASE WHEN pnd THEN 1 ELSE 0 END) AS pending,
  SUM(CASE WHEN pnd AND due_at >= e THEN 1 ELSE 0 END) AS pending_within_due,
  SUM(CASE WHEN pnd AND due_at < e THEN 1 ELSE 0 END) AS pending_overdue,
  SUM(CASE WHEN pnd AND source_system = 'old' THEN 1 ELSE 0 END) AS pending_old_system,
  SUM(CASE WHEN rin AND components_total > 0 THEN 1 ELSE 0 END) AS received_with_components,
  SUM(CASE WHEN rin AND components_total > 0 AND components_digitized = components_total THEN 1 ELSE 0 END) AS received_fully_digitized,
  SUM(CASE WHEN rsv AND outcome = 'approved' AND result_digitized = TRUE THEN 1 ELSE 0 END) AS resolved_approved_result_digitized,
  SUM(CASE WHEN rin AND fee_vnd > 0 THEN 1 ELSE 0 END) AS fee_received,
  SUM(CASE WHEN rin AND fee_vnd > 0 AND payment_channel IS NOT NULL THEN 1 ELSE 0 END) AS fee_received_paid,
  SUM(CASE WHEN rin AND fee_vnd > 0 AND payment_channel = 'online' THEN 1 ELSE 0 END) AS fee_received_paid_online,
  SUM(CASE WHEN rin AND fee_vnd > 0 AND payment_channel IS NOT NULL AND e_receipt = TRUE THEN 1 ELSE 0 END) AS fee_received_e_receipt,
  COUNT(DISTINCT CASE WHEN rin AND channel = 'online' AND o.unit IS NOT NULL THEN x.procedure_code END) AS online_services_used
FROM x LEFT JOIN offerings o ON o.unit = x.unit_code AND o.procedure_code = x.procedure_code
GROUP BY x.unit_code, x.k
