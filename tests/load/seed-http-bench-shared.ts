export const BENCH_PASSWORD = "bench learner password";
export const BENCH_SLUG = "recognising-stalking";
