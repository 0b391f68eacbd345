"""ast ベースのホワイトリスト式評価器（eval を使わない）。"""
import ast
import operator as op

BIN = {ast.Add: op.add, ast.Sub: op.sub, ast.Mult: op.mul, ast.Div: op.truediv,
       ast.FloorDiv: op.floordiv, ast.Mod: op.mod, ast.Pow: op.pow}
CMP = {ast.Eq: op.eq, ast.NotEq: op.ne, ast.Lt: op.lt, ast.LtE: op.le, ast.Gt: op.gt, ast.GtE: op.ge}
UNARY = {ast.USub: op.neg, ast.UAdd: op.pos, ast.Not: op.not_}
FUNCS = {"min": min, "max": max, "abs": abs, "round": round}
MAX_LEN, MAX_POW = 200, 100


def evaluate(expr, variables):
    if len(expr) > MAX_LEN:
        raise ValueError("式が長すぎます")
    return _eval(ast.parse(expr, mode="eval").body, variables)


def _eval(n, v):
    if isinstance(n, ast.Constant) and isinstance(n.value, (int, float, str, bool)):
        return n.value
    if isinstance(n, ast.Name):
        if n.id not in v:
            raise ValueError(f"未定義の変数: {n.id}")
        return v[n.id]
    if isinstance(n, ast.BinOp) and type(n.op) in BIN:
        left, right = _eval(n.left, v), _eval(n.right, v)
        if isinstance(n.op, ast.Pow) and abs(right) > MAX_POW:
            raise ValueError("べき乗が大きすぎます")
        return BIN[type(n.op)](left, right)
    if isinstance(n, ast.UnaryOp) and type(n.op) in UNARY:
        return UNARY[type(n.op)](_eval(n.operand, v))
    if isinstance(n, ast.BoolOp):
        vals = [_eval(x, v) for x in n.values]
        return all(vals) if isinstance(n.op, ast.And) else any(vals)
    if isinstance(n, ast.Compare) and all(type(o) in CMP for o in n.ops):
        left = _eval(n.left, v)
        for o, c in zip(n.ops, n.comparators):
            right = _eval(c, v)
            if not CMP[type(o)](left, right):
                return False
            left = right
        return True
    if isinstance(n, ast.IfExp):
        return _eval(n.body, v) if _eval(n.test, v) else _eval(n.orelse, v)
    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in FUNCS and not n.keywords:
        return FUNCS[n.func.id](*[_eval(a, v) for a in n.args])
    raise ValueError(f"許可されていない構文: {type(n).__name__}")
