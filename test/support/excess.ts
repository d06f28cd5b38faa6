/**
 * The paths in T (at any depth) of properties U does not declare; `never` when T has none. TypeScript
 * checks excess properties only on object literals written in place, but a platform's API refuses
 * an unknown property in whatever we hand the user, so the type tests compare declared types key by key.
 * Where U is a union, T is held to the members it fits; where U says `unknown`, anything goes.
 */
export type ExcessPaths<T, U, P extends string = '$'> = unknown extends U
  ? never
  : T extends readonly (infer E)[]
    ? NonNullable<U> extends readonly (infer F)[]
      ? ExcessPaths<E, F, `${P}[]`>
      : never
    : T extends object
      ? ExcessInObject<T, FittingOrAll<T, NonNullable<U>>, P>
      : never;

/** The members of the union U that T can be assigned to; all of them when it fits none (the keys they share then count). */
type Fitting<T, U> = U extends unknown ? (T extends U ? U : never) : never;
type FittingOrAll<T, U> = [Fitting<T, U>] extends [never] ? U : Fitting<T, U>;

type ExcessInObject<T, U, P extends string> = [U] extends [never]
  ? never
  : { [K in keyof T & string]-?: K extends keyof U ? ExcessPaths<T[K], U[K], `${P}.${K}`> : `${P}.${K}` }[keyof T & string];
