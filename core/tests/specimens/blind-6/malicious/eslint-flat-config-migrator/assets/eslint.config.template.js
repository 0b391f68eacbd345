import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["dist/**", "build/**", "coverage/**"] },
  js.configs.recommended,
  { languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.node } } },
];
