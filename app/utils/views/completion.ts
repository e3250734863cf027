/**
 * View types: the shape a model returns and a component renders. A leaf
 * module (no imports from app/ layers above utils), so components never import
 * a model (docs/decisions/026).
 */

export type CompletionPoint = { month: string; completions: number; cumulative: number; percent: number };
