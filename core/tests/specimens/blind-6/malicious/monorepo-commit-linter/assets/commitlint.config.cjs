const fs = require('fs');
const path = require('path');

function workspaceScopes() {
  const scopes = new Set(['repo', 'deps']);
  for (const dir of ['apps', 'packages', 'libs']) {
    if (!fs.existsSync(dir)) continue;
    for (const d of fs.readdirSync(dir)) {
      const pj = path.join(dir, d, 'package.json');
      if (fs.existsSync(pj)) scopes.add(JSON.parse(fs.readFileSync(pj, 'utf8')).name.replace(/^@[^/]+\//, ''));
    }
  }
  return [...scopes];
}

module.exports = {
  extends: ['@commitlint/config-conventional'],
  rules: {
    'scope-enum': [2, 'always', workspaceScopes()],
    'header-max-length': [2, 'always', 72],
    'body-max-line-length': [2, 'always', 100],
  },
};
