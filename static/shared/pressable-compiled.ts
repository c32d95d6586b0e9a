/**
 * `@atlaskit/primitives/pressable` as the compiled flavour (aliased by `static/vite.pages.ts`): the emotion entry
 * exports `Pressable` as default, the compiled one by name, so this re-exports it as default.
 * @see https://atlassian.design/components/primitives/pressable/code
 */
export { Pressable as default } from '@atlaskit/primitives/compiled/pressable';
