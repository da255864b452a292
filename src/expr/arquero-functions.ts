/**
 * The names of arquero's `op` functions (arquero 8), so that validating an
 * expression does not load arquero itself (about 170 ms of start-up).
 * test/expr/arquero-functions.test.ts fails when this list and the installed
 * arquero disagree.
 */
export const ARQUERO_FUNCTIONS: ReadonlySet<string> = new Set([
  'bin', 'equal', 'recode', 'sequence', 'compact', 'concat', 'includes', 'indexof', 'join', 'lastindexof',
  'length', 'pluck', 'reverse', 'slice', 'date', 'datetime', 'dayofweek', 'dayofyear', 'format_date', 'format_utcdate',
  'hours', 'milliseconds', 'minutes', 'month', 'now', 'quarter', 'seconds', 'timestamp', 'utcdate', 'utcdatetime',
  'utcdayofweek', 'utcdayofyear', 'utchours', 'utcmilliseconds', 'utcminutes', 'utcmonth', 'utcquarter', 'utcseconds', 'utcweek', 'utcyear',
  'week', 'year', 'parse_json', 'to_json', 'abs', 'acos', 'acosh', 'asin', 'asinh', 'atan',
  'atan2', 'atanh', 'cbrt', 'ceil', 'clz32', 'cos', 'cosh', 'degrees', 'exp', 'expm1',
  'floor', 'fround', 'greatest', 'is_finite', 'is_nan', 'least', 'log', 'log10', 'log1p', 'log2',
  'pow', 'radians', 'random', 'round', 'sign', 'sin', 'sinh', 'sqrt', 'tan', 'tanh',
  'trunc', 'entries', 'has', 'keys', 'object', 'values', 'endswith', 'lower', 'match', 'normalize',
  'padend', 'padstart', 'parse_date', 'parse_float', 'parse_int', 'repeat', 'replace', 'split', 'startswith', 'substring',
  'trim', 'upper', 'row_object', 'count', 'any', 'array_agg', 'array_agg_distinct', 'object_agg', 'map_agg', 'entries_agg',
  'valid', 'invalid', 'distinct', 'mode', 'sum', 'product', 'mean', 'average', 'variance', 'variancep',
  'stdev', 'stdevp', 'min', 'max', 'quantile', 'median', 'covariance', 'covariancep', 'corr', 'bins',
  'row_number', 'rank', 'avg_rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value',
  'last_value', 'nth_value', 'fill_down', 'fill_up',
]);
