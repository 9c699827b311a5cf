"""Numbers as Chinese official documents write them.

Rules (documented in docs/architecture.md):
- counts are written exactly: 12次, 140件, 5批次;
- an approximate metric (participants, contacts) is written as "N余" with N the value
  rounded DOWN to its two leading digits when the value has three or four digits, to its
  three leading digits from five digits on (as the seed writes 550余, 800余, 15600余):
  556 → 550余, 1 234 → 1200余, 15 634 → 15600余 (…余 never overstates); below 100 it is exact;
- amounts in 元 are written in 万元 / 亿元 with one decimal, rounded half up:
  1 150 000 000 → 11.5亿元;
- percentages have one decimal, rounded half up: 98.57… → 98.6%;
- a ratio over zero is written 暂无.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def approximate(n: int) -> str:
    if n < 100:
        return str(n)
    digits = len(str(n))
    step = 10 ** (digits - (3 if digits >= 5 else 2))
    floored = n // step * step
    return f"{floored}余" if floored != n else str(n)


def yuan(amount) -> str:
    amount = Decimal(amount)
    if abs(amount) >= Decimal(10) ** 8:
        return f"{(amount / Decimal(10) ** 8).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}亿元"
    if abs(amount) >= Decimal(10) ** 4:
        return f"{(amount / Decimal(10) ** 4).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}万元"
    return f"{amount.quantize(Decimal('1'), rounding=ROUND_HALF_UP)}元"


def format_value(value) -> str:
    m = value.metric
    if value.value is None:
        return "暂无"
    if m.kind == "ratio":
        return f"{value.value}%"
    if m.unit == "元":
        return yuan(value.value)
    number = approximate(int(value.value)) if m.approximate else str(value.value)
    return f"{number}{m.unit}"
