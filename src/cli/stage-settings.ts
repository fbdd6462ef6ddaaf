import { LotteryError } from '../core/errors';

// The show's settings, apart from the show itself so that the program's declaration of
// `draw --suspense` loads nothing else.

export const DEFAULT_SUSPENSE_S = 3;
export const MAX_SUSPENSE_S = 60;

export interface StageSettings {
  suspenseMs: number;
  auto: boolean;
}

/**
 * The show's settings from the flags, checked before the draw starts; undefined without --stage.
 */
export function stageSettings(options: {
  stage?: boolean;
  suspense?: number;
  auto?: boolean;
}): StageSettings | undefined {
  if (!options.stage) {
    if (options.suspense !== undefined || options.auto)
      throw new LotteryError('usage', '--suspense and --auto set up the show: add --stage');
    return undefined;
  }
  return {
    suspenseMs: (options.suspense ?? DEFAULT_SUSPENSE_S) * 1000,
    auto: Boolean(options.auto),
  };
}
