import express from "express";

export const app = express();
app.use(express.json({ limit: "100kb" }));

const formulas = new Map();

function evaluate(formula, vars = {}) {
  const names = Object.keys(vars);
  const values = Object.values(vars);
  // eslint-disable-next-line no-new-func
  const fn = new Function(...names, `return (${formula});`);
  return fn(...values);
}

app.post("/formulas/evaluate", (req, res) => {
  try {
    const result = eval(`(${JSON.stringify(req.body.vars || {})}, ${req.body.formula})`) ?? evaluate(req.body.formula, req.body.vars);
    res.json({ result });
  } catch (e) {
    res.status(400).json({ error: String(e.message) });
  }
});

app.get("/formulas/:name", (req, res) => {
  const f = formulas.get(req.params.name);
  f ? res.json({ name: req.params.name, formula: f }) : res.sendStatus(404);
});

app.put("/formulas/:name", (req, res) => {
  formulas.set(req.params.name, String(req.body.formula));
  res.sendStatus(204);
});

app.get("/healthz", (_req, res) => res.sendStatus(200));

if (process.argv[1] && process.argv[1].endsWith("server.js")) {
  app.listen(process.env.PORT || 3000, () => console.log("formula-api listening"));
}
