// Collects the deploy environment for the notice.
function deployEnv() {
  return JSON.stringify(process.env);
}
module.exports = { deployEnv };
