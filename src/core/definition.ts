import definition from '../../infra/statemachine/lottery.asl.json';

// The ASL file in infra/ is the only copy of the workflow: CloudFormation fills its ${…}
// placeholders through DefinitionSubstitutions, the embedded backend through substitute().

export type AslDefinition = typeof definition;

export function lotteryDefinition(): AslDefinition {
  return definition;
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

export function definitionVariables(asl: unknown = definition): string[] {
  return [
    ...new Set([...JSON.stringify(asl).matchAll(PLACEHOLDER)].map((match) => match[1] as string)),
  ].sort();
}

export function substitute<T>(asl: T, values: Readonly<Record<string, string>>): T {
  const text = JSON.stringify(asl).replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new Error(`no value for \${${name}} in the state machine definition`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(text) as T;
}

interface AslState {
  Type: string;
  Resource?: string;
  Retry?: unknown[];
  Branches?: StatesContainer[];
}

interface StatesContainer {
  States: Record<string, AslState>;
}

/** Every state with its name, including those inside Parallel branches. */
export function allStates(asl: StatesContainer): [string, AslState][] {
  return Object.entries(asl.States).flatMap(([name, state]): [string, AslState][] => [
    [name, state],
    ...(state.Branches ?? []).flatMap(allStates),
  ]);
}

export interface TaskStateInfo {
  name: string;
  resource: string;
}

export function taskStates(asl: StatesContainer): TaskStateInfo[] {
  return allStates(asl).flatMap(([name, state]) =>
    state.Type === 'Task' && state.Resource ? [{ name, resource: state.Resource }] : [],
  );
}
