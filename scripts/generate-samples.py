#!/usr/bin/env python3
"""Writes rules/samples/payments.jsonl: sample card events for `cashback dry-run`.

    python3 scripts/generate-samples.py            # from the repository root
    cashback dry-run --rules rules rules/samples/payments.jsonl

What is in the file (about 1,700 lines, six weeks from Monday 2 November to
Sunday 13 December 2026, roughly in the order a card processor would send them):

- Everyday card payments by about 470 customers: euro accounts (C2xxxxx), new
  customers who join in December (C3xxxxx, for the bank's welcome offer) and
  pound sterling accounts (C4xxxxx).
- Payments at every partner in rules/partners/, identified the way acquirers
  really send them: by merchant id (MID), by SIRET, or only by the name on the
  statement. Also near misses: a Decathlon in Spain, a Carrefour in Belgium,
  the Petite Boutique pop-up shop (in store), Paul before its start date,
  the Paul Smith fashion shop, Waterstones paid from a euro account.
- Non-partner merchants in France and abroad (Amazon EU in Luxembourg, Spotify
  in Sweden...), trips abroad with the merchant's own currency in
  original_amount / original_currency (GBP, USD, CHF, JPY), one merchant
  without a country.
- A Black Friday rush at Fnac (27-29 November) that uses up the Black Friday
  envelope and, with December sales, the partner's pilot budget.
- Scripted customers (C10000x, C400001) that make each cap bite (see `stories()`).
- Refunds, partial and full, a chargeback and a cancellation (reversals), a
  refund that arrives before its payment and one whose payment is older than
  the file (orphans), a network retry (an exact duplicate), an acquirer
  correction (same id, different amount: a conflict), a payment that arrives
  a day late, and a handful of broken lines (bad amount, missing account,
  unknown currency, truncated JSON, a blank line).

Standard library only; the seed is fixed, so the output is the same on every run.
"""

import datetime as dt
import json
import random
from pathlib import Path

SEED = 20261102
START = dt.date(2026, 11, 2)   # a Monday
DAYS = 42                      # up to Sunday 13 December 2026 included

OUTPUT = Path(__file__).resolve().parent.parent / "rules" / "samples" / "payments.jsonl"

rng = random.Random(SEED)

# Fixed offsets are enough: France and the UK do not change clocks in Nov-Dec.
TZ = {
    "paris": dt.timezone(dt.timedelta(hours=1)),
    "london": dt.timezone.utc,
    "newyork": dt.timezone(dt.timedelta(hours=-5)),
    "geneva": dt.timezone(dt.timedelta(hours=1)),
    "tokyo": dt.timezone(dt.timedelta(hours=9)),
    "barcelona": dt.timezone(dt.timedelta(hours=1)),
}
DIGITS = {"EUR": 2, "GBP": 2, "USD": 2, "CHF": 2, "JPY": 0}
# Card scheme rates, units of the billing currency per unit of the merchant's.
FX = {("GBP", "EUR"): 1.1470, ("USD", "EUR"): 0.9210, ("CHF", "EUR"): 1.0580,
      ("JPY", "EUR"): 0.00612, ("EUR", "GBP"): 0.8712}


def money(minor, currency):
    """Minor units -> decimal string with exactly the currency's digits."""
    digits = DIGITS[currency]
    if digits == 0:
        return str(minor)
    whole, frac = divmod(minor, 10 ** digits)
    return f"{whole}.{frac:0{digits}d}"


def price(low, high, skew=2.0, ending=None):
    """A price in cents between low and high (euros), skewed towards low,
    usually ending in .90/.99/.00 like shop prices."""
    value = low + (high - low) * (rng.random() ** skew)
    cents = int(value * 100)
    ending = ending if ending is not None else rng.choice([None, None, 90, 99, 0, 50])
    if ending is not None and cents >= 100:
        cents = cents - cents % 100 + ending
    return max(cents, 50)


# --------------------------------------------------------------------------
# Merchants. Each identity is what one acquirer sends for one shop.
# --------------------------------------------------------------------------

def m(name, mcc, country="FR", channel="in_store", mid=None, siret=None):
    merchant = {}
    if mid:
        merchant["mid"] = mid
    if siret:
        merchant["siret"] = siret
    merchant["name"] = name
    merchant["mcc"] = mcc
    if country:
        merchant["country"] = country
    merchant["channel"] = channel
    return merchant


DECATHLON = [
    m("DECATHLON PARIS MADELEINE", "5941", mid="MID345"),
    m("DECATHLON LA DEFENSE", "5941", mid="MID345"),
    m("DECATHLON.FR", "5941", channel="online", mid="MID678"),
    m("DECATHLON LILLE CAMPUS", "5941", siret="55555555500030"),
    m("DECATHLON VILLENEUVE D'ASCQ", "5941", siret="55555555500030"),
    m("DECATHLON BRUXELLES", "5941", country="BE"),        # Belgian acquirer: name only
    m("DECATHLON LYON PART-DIEU", "5941"),                 # name only
]
DECATHLON_SPAIN = m("DECATHLON BARCELONA", "5941", country="ES")   # outside the deal

CARREFOUR_SHOPS = [
    m("CARREFOUR HYPER VENISSIEUX", "5411", mid="MID101"),
    m("CARREFOUR MARKET PARIS 15", "5411", mid="MID102"),
    m("CARREFOUR MARKET BOULOGNE", "5411", mid="MID102"),
    m("CRF CITY PARIS 11", "5411", siret="65201405100033"),
    m("CARREFOUR CITY LYON BELLECOUR", "5411"),
    m("CARREFOUR DRIVE", "5411", channel="online", mid="MID102"),
]
CARREFOUR_FUEL = [
    m("CARREFOUR STATION ANTONY", "5541", mid="MID103"),
    m("CARREFOUR STATION 24/24 MASSY", "5542", mid="MID103"),
]
CARREFOUR_BELGIUM = m("CARREFOUR EXPRESS IXELLES", "5411", country="BE")

FNAC_STORES = [
    m("FNAC PARIS TERNES", "5732", mid="MID210"),
    m("FNAC PARIS TERNES", "5942", mid="MID210"),
    m("FNAC LYON BELLECOUR", "5735", siret="35012345600047"),
    m("FNAC LA DEFENSE", "5732"),
]
FNAC_ONLINE = [
    m("FNAC.COM", "5732", channel="online", mid="MID211"),
    m("FNAC.COM", "5942", channel="online", mid="MID211"),
]

PAUL = [
    m("PAUL GARE DE LYON", "5462", siret="40312345600019"),
    m("PAUL SAINT-LAZARE", "5814", siret="40312345600019"),
    m("BOULANGERIE PAUL LILLE", "5462"),
    m("PAUL BOULANGERIE RUE DE BUCI", "5814"),
]

PAUL_SMITH = m("PAUL SMITH BOUTIQUE", "5651")     # a fashion shop, not the bakery

PETITE_BOUTIQUE = [
    m("PETITE-BOUTIQUE.FR", "5719", channel="online"),
    m("PETITEBOUTIQUE.FR*CMD", "5719", channel="online"),
]
PETITE_BOUTIQUE_POPUP = m("PETITE-BOUTIQUE POPUP MARAIS", "5719")   # in store: not covered

EUROSTAR = m("EUROSTAR.COM", "4112", country="GB", channel="online")

WATERSTONES = [
    m("WATERSTONES PICCADILLY", "5942", country="GB", mid="MID900"),
    m("WATERSTONES GOWER ST", "5942", country="GB", mid="MID901"),
    m("WATERSTONES KINGS CROSS", "5942", country="GB"),
]

# Everyday merchants that are not partners, with a price range in euros.
EVERYDAY = [
    # (weight, merchant, low, high)
    (9, m("MONOPRIX PARIS 9", "5411"), 6, 70),
    (7, m("E.LECLERC ANTONY", "5411"), 25, 180),
    (4, m("LIDL MONTREUIL", "5411"), 12, 90),
    (3, m("PICARD SURGELES", "5411"), 10, 60),
    (4, m("TOTALENERGIES RELAIS", "5541"), 35, 95),
    (5, m("PHARMACIE DU MARCHE", "5912"), 4, 45),
    (6, m("LE PETIT ZINC", "5812"), 18, 95),
    (4, m("BRASSERIE LIPP", "5812"), 25, 120),
    (3, m("MCDONALD'S PARIS 13", "5814"), 6, 25),
    (3, m("UGC CINE CITE", "7832"), 9, 30),
    (3, m("ZARA FRANCE", "5651"), 20, 140),
    (2, m("LEROY MERLIN IVRY", "5211"), 15, 400),
    (2, m("IKEA PARIS NORD", "5712"), 20, 600),
    (2, m("SNCF CONNECT", "4112", channel="online"), 20, 160),
    (2, m("RATP NAVIGO", "4111"), 5, 87),
    (1, m("BOUYGUES TELECOM", "4814", channel="online"), 20, 60),
    (1, m("LA POSTE BUREAU", "9402"), 2, 30),
    (1, m("TABAC LE BALTO", "5993"), 3, 20),
    # Cross-border e-commerce: the merchant is abroad, the customer is at home.
    (5, m("AMAZON EU SARL", "5942", country="LU", channel="online"), 8, 150),
    (2, m("SPOTIFY AB", "5815", country="SE", channel="online"), 11, 18),
    (2, m("UBER EATS", "5814", country="NL", channel="online"), 12, 45),
    (1, m("APPLE.COM/BILL", "5818", country="IE", channel="online"), 1, 15),
    # A payment facilitator that does not pass the merchant's country on.
    (1, m("SUMUP *MARCHE BIO", "5499", country=None), 4, 40),
]

# Trips abroad: merchants in the local currency; amount ranges in that currency.
TRIPS = {
    "london": ("GBP", [
        (4, m("PRET A MANGER LONDON", "5814", country="GB"), 5, 15),
        (3, m("TFL TRAVEL CH", "4111", country="GB"), 3, 20),
        (2, m("SELFRIDGES & CO", "5311", country="GB"), 30, 300),
        (2, m("DISHOOM COVENT GARDEN", "5812", country="GB"), 25, 90),
        (2, WATERSTONES[0], 8, 60),   # a euro card at Waterstones: not the partner's currency
    ]),
    "newyork": ("USD", [
        (4, m("STARBUCKS NEW YORK", "5814", country="US"), 5, 14),
        (2, m("MACY'S HERALD SQUARE", "5311", country="US"), 40, 400),
        (3, m("MTA NYCT", "4111", country="US"), 3, 34),
        (2, m("KATZ'S DELICATESSEN", "5812", country="US"), 25, 80),
    ]),
    "geneva": ("CHF", [
        (4, m("MIGROS GENEVE", "5411", country="CH"), 10, 120),
        (2, m("MANOR GENEVE", "5311", country="CH"), 30, 300),
        (2, m("CAFE DU SOLEIL", "5812", country="CH"), 30, 110),
    ]),
    "tokyo": ("JPY", [
        (4, m("LAWSON SHIBUYA", "5499", country="JP"), 300, 3000),
        (2, m("BIC CAMERA YURAKUCHO", "5732", country="JP"), 3000, 90000),
        (3, m("JR EAST SUICA", "4111", country="JP"), 1000, 10000),
        (2, m("ICHIRAN RAMEN", "5812", country="JP"), 1000, 4000),
    ]),
    "barcelona": ("EUR", [   # abroad, but in euros: no conversion
        (4, m("MERCADONA BARCELONA", "5411", country="ES"), 10, 90),
        (2, m("EL CORTE INGLES", "5311", country="ES"), 30, 250),
        (2, DECATHLON_SPAIN, 20, 150),
        (2, m("CERVECERIA CATALANA", "5812", country="ES"), 20, 80),
    ]),
}

# Pound sterling accounts mostly shop in the UK.
UK_EVERYDAY = [
    (8, m("TESCO METRO", "5411", country="GB"), 5, 80),
    (4, m("SAINSBURY'S", "5411", country="GB"), 15, 120),
    (4, m("PRET A MANGER LONDON", "5814", country="GB"), 5, 15),
    (3, m("TFL TRAVEL CH", "4111", country="GB"), 3, 20),
    (3, m("BOOTS", "5912", country="GB"), 4, 40),
    (2, m("JOHN LEWIS", "5311", country="GB"), 20, 350),
]


# --------------------------------------------------------------------------
# Accounts.
# --------------------------------------------------------------------------

REGULARS = [f"C2{n:05d}" for n in range(1, 401)]       # euro accounts
NEWCOMERS = [f"C3{n:05d}" for n in range(1, 41)]       # open an account in December
STERLING = [f"C4{n:05d}" for n in range(1, 31)]        # pound sterling accounts
# A few regulars use their card far more than the rest.
ACTIVITY = {acc: rng.paretovariate(1.6) for acc in REGULARS}
NEWCOMER_START = {acc: START + dt.timedelta(days=rng.randint(29, DAYS - 3)) for acc in NEWCOMERS}


# --------------------------------------------------------------------------
# Events. Each is kept with the instant the processor would forward it.
# --------------------------------------------------------------------------

events = []            # (arrival instant, sequence, event dict)
payments = []          # (event, local moment, amount in minor units), for refunds


def at(day, hour, minute, second=0, zone="paris"):
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ[zone])


def stamp(moment):
    return moment.isoformat().replace("+00:00", "Z")


def emit(event, moment, delay_seconds=None):
    if delay_seconds is None:
        delay_seconds = rng.randint(2, 240)
    events.append((moment + dt.timedelta(seconds=delay_seconds), len(events), event))


def pay(account, merchant, moment, minor, currency="EUR", original=None, delay=None, scheme=None):
    """A payment; `original` is (minor, currency) for a payment converted by the card."""
    event = {
        "id": None,                      # numbered in arrival order, at the end
        "account": account,
        "occurred_at": stamp(moment),
        "amount": money(minor, currency),
        "currency": currency,
        "merchant": dict(merchant),
    }
    if original:
        event["original_amount"] = money(original[0], original[1])
        event["original_currency"] = original[1]
    # Not a field of the engine: senders add fields, the engine ignores them.
    event["scheme"] = scheme or rng.choice(["CB", "CB", "CB", "VISA", "MASTERCARD"])
    emit(event, moment, delay)
    payments.append((event, moment, minor))
    return event


def refund(payment, moment, minor=None, kind="refund"):
    """A refund of `minor` (in the payment's currency), or a reversal of the whole payment."""
    original = payment[0]
    event = {"id": None, "type": kind, "original_id": original,   # both filled in at the end
             "account": original["account"], "occurred_at": stamp(moment)}
    if kind == "refund":
        event["amount"] = money(minor, original["currency"])
        event["currency"] = original["currency"]
    emit(event, moment)
    return event


def pick(weighted):
    total = sum(w for w, *_ in weighted)
    x = rng.uniform(0, total)
    for item in weighted:
        x -= item[0]
        if x <= 0:
            return item
    return weighted[-1]


def shop_time(day, opening=9, closing=20, zone="paris"):
    minutes = rng.randint(opening * 60, closing * 60 - 1)
    return at(day, minutes // 60, minutes % 60, rng.randint(0, 59), zone)


def online_time(day, zone="paris"):
    # Online orders peak in the evening.
    hour = rng.choices(range(24), weights=[1, 1, 0, 0, 0, 0, 1, 2, 3, 4, 4, 4,
                                           5, 5, 4, 4, 4, 5, 6, 8, 9, 9, 7, 3])[0]
    return at(day, hour, rng.randint(0, 59), rng.randint(0, 59), zone)


def converted(local_minor, local_currency, billing="EUR"):
    local_units = local_minor / 10 ** DIGITS[local_currency]
    return int(round(local_units * FX[(local_currency, billing)] * 10 ** DIGITS[billing]))


# ---- one everyday payment of a euro customer ---------------------------------

def everyday_payment(account, day):
    weekend = day.weekday() >= 5
    december = day.month == 12
    choice = rng.choices(
        ["carrefour", "decathlon", "fnac", "paul", "petite", "eurostar", "fuel", "everyday", "near-miss"],
        weights=[17 + (8 if weekend else 0), 6 + (4 if weekend else 0), 5 + (4 if december else 0),
                 7 if not weekend else 3, 2.5, 1, 3, 48, 1.2])[0]
    if choice == "carrefour":
        shop = rng.choice(CARREFOUR_SHOPS)
        big = weekend or rng.random() < 0.25
        minor = price(45, 220) if big else price(4, 45)
        moment = online_time(day) if shop["channel"] == "online" else shop_time(day, 8, 21)
        return pay(account, shop, moment, minor)
    if choice == "decathlon":
        shop = rng.choice(DECATHLON)
        minor = price(300, 900) if rng.random() < 0.04 else price(9, 130)
        moment = online_time(day) if shop["channel"] == "online" else shop_time(day, 10, 20)
        return pay(account, shop, moment, minor)
    if choice == "fnac":
        online = rng.random() < 0.45
        shop = rng.choice(FNAC_ONLINE if online else FNAC_STORES)
        if shop["mcc"] == "5732":
            minor = price(600, 1300) if rng.random() < 0.08 else price(20, 600, 2.5)
        else:
            minor = price(8, 60)
        moment = online_time(day) if online else shop_time(day, 10, 20)
        return pay(account, shop, moment, minor)
    if choice == "paul":
        shop = rng.choice(PAUL)
        if rng.random() < 0.5 and not weekend:
            moment = shop_time(day, 7, 10)
            minor = price(2, 9, ending=rng.choice([None, 50, 0]))
        else:
            moment = shop_time(day, 11, 19)
            minor = price(5, 25)
        return pay(account, shop, moment, minor)
    if choice == "petite":
        if rng.random() < 0.15:
            return pay(account, PETITE_BOUTIQUE_POPUP, shop_time(day, 11, 19), price(15, 90))
        return pay(account, rng.choice(PETITE_BOUTIQUE), online_time(day), price(19, 160))
    if choice == "eurostar":
        return pay(account, EUROSTAR, online_time(day), price(44, 310))
    if choice == "fuel":
        return pay(account, rng.choice(CARREFOUR_FUEL), shop_time(day, 7, 21), price(30, 95))
    if choice == "near-miss":
        shop = rng.choice([CARREFOUR_BELGIUM, PETITE_BOUTIQUE_POPUP, PAUL_SMITH])
        return pay(account, shop, shop_time(day, 10, 19), price(10, 150))
    _, shop, low, high = pick(EVERYDAY)
    if shop["mcc"] in ("5812",):
        moment = shop_time(day, 12, 14) if rng.random() < 0.5 else shop_time(day, 19, 23)
    elif shop["channel"] == "online":
        moment = online_time(day)
    else:
        moment = shop_time(day, 8, 21)
    return pay(account, shop, moment, price(low, high))


def sterling_payment(account, day):
    roll = rng.random()
    if roll < 0.25:
        shop = rng.choice(WATERSTONES)
        minor = price(7, 45) if rng.random() < 0.8 else price(50, 160)
        # Late opening on Thursday to Saturday evenings.
        late = day.weekday() in (3, 4, 5) and rng.random() < 0.4
        moment = shop_time(day, 18, 21, "london") if late else shop_time(day, 9, 18, "london")
        return pay(account, shop, moment, minor, "GBP")
    if roll < 0.32:
        return pay(account, EUROSTAR, online_time(day, "london"), price(39, 240), "GBP")
    if roll < 0.38:
        # In Paris for the weekend: a euro merchant on a pound account.
        _, shop, low, high = pick(EVERYDAY[:10])
        local = price(low, high)
        return pay(account, shop, shop_time(day, 9, 21), converted(local, "EUR", "GBP"), "GBP", original=(local, "EUR"))
    _, shop, low, high = pick(UK_EVERYDAY)
    return pay(account, shop, shop_time(day, 8, 21, "london"), price(low, high), "GBP")


def trip(account, city, first_day, length):
    currency, merchants = TRIPS[city]
    zone = city
    for offset in range(length):
        day = first_day + dt.timedelta(days=offset)
        for _ in range(rng.randint(1, 4)):
            _, shop, low, high = pick(merchants)
            local = int((low + (high - low) * rng.random() ** 2) * 10 ** DIGITS[currency])
            moment = at(day, rng.randint(8, 21), rng.randint(0, 59), rng.randint(0, 59), zone)
            if currency == "EUR":
                pay(account, shop, moment, local)
            else:
                pay(account, shop, moment, converted(local, currency), original=(local, currency))


# ---- scripted customers: each one makes a rule or a cap visible --------------

def day(n):
    return START + dt.timedelta(days=n)


def stories():
    # C100001, a cyclist: a bike on Saturday 7 Nov takes Decathlon's base rate
    # to its 20 EUR monthly cap; a helmet the next day gets no second weekend
    # bonus; later weekend bonuses hit the partner's 25 EUR cap. Part of the
    # bike is returned, which frees some of the cap. In December the caps
    # start afresh.
    a = "C100001"
    pay(a, DECATHLON[0], at(day(5), 15, 12), 74999)            # Sat 7 Nov: bike
    pay(a, DECATHLON[6], at(day(6), 11, 30), 5990)             # Sun 8 Nov: a helmet; bonus is once a week
    pay(a, DECATHLON[2], at(day(8), 21, 40), 3490)             # Tue 10 Nov: online, base capped to 0
    pay(a, DECATHLON[1], at(day(12), 11, 5), 8990)             # Sat 14 Nov: weekend bonus
    pay(a, DECATHLON[0], at(day(19), 16, 30), 12900)           # Sat 21 Nov: partner cap reached
    pay(a, DECATHLON[3], at(day(33), 10, 45), 5990)            # Sat 5 Dec: new month

    # C100002, a family doing the weekly shop at Carrefour: spend tiers go up
    # through the month and the 15 EUR monthly cap bites at the end of November.
    a = "C100002"
    for week in range(6):
        saturday = day(5 + 7 * week)
        pay(a, CARREFOUR_SHOPS[0], at(saturday, 10, 20 + week), 18000 + 1234 * week)
        if week < 5:                                           # the file ends on Sunday 13 December
            pay(a, CARREFOUR_SHOPS[1], at(saturday + dt.timedelta(days=3), 18, 50), 3275 + 311 * week)
            pay(a, CARREFOUR_FUEL[0], at(saturday + dt.timedelta(days=4), 8, 15), 7120)

    # C100003, a big spender in December: Decathlon, Carrefour, Fnac, a trip to
    # New York... more than the programme's 50 EUR monthly ceiling.
    a = "C100003"
    pay(a, EVERYDAY[0][1], at(day(10), 18, 30), 2345)          # a quiet November
    pay(a, DECATHLON[0], at(day(30), 14, 0), 52000)            # Wed 2 Dec
    pay(a, CARREFOUR_SHOPS[0], at(day(33), 10, 0), 61000)      # Sat 5 Dec, hypermarket: 610 EUR
    pay(a, CARREFOUR_SHOPS[1], at(day(34), 11, 0), 72000)      # Sun 6 Dec
    pay(a, FNAC_STORES[0], at(day(35), 17, 30), 89900)         # Mon 7 Dec: a laptop
    for n, (local, shop) in enumerate([(45000, 1), (38000, 1), (12000, 3), (9000, 0)]):
        moment = at(day(36 + n), 13, 10 + n, zone="newyork")
        merchant = TRIPS["newyork"][1][shop][1]
        pay(a, merchant, moment, converted(local, "USD"), original=(local, "USD"))
    pay(a, DECATHLON[2], at(day(40), 20, 5), 15000)            # Sat 12 Dec

    # C100004 orders often at La Petite Boutique: a big order hits the 8 EUR
    # per-order cap, the fourth rewarded order of the month earns nothing.
    a = "C100004"
    for n, (d, minor, shop) in enumerate([(3, 4590, 0), (9, 31000, 0), (16, 2990, 1), (23, 6400, 0), (24, 1990, 0)]):
        pay(a, PETITE_BOUTIQUE[shop], at(day(d), 21, 14 + n), minor)

    # C100005 has breakfast at Paul twice on the same morning: only the first
    # earns the breakfast bonus, and with `first` the second earns nothing.
    # The week before, Paul was not yet a partner.
    a = "C100005"
    pay(a, PAUL[0], at(day(9), 8, 5), 640)                     # Wed 11 Nov: before the start
    pay(a, PAUL[0], at(day(16), 7, 55), 520)                   # Wed 18 Nov
    pay(a, PAUL[1], at(day(16), 9, 40), 380)                   # same morning
    pay(a, PAUL[1], at(day(16), 12, 45), 1890)                 # lunch
    pay(a, PAUL[3], at(day(20), 16, 20), 2450)                 # Sun 22 Nov afternoon
    pay(a, PAUL_SMITH, at(day(20), 17, 5), 14500)              # a scarf: not the bakery

    # C100006 commutes by Eurostar: the fifth booking of the year is not rewarded.
    a = "C100006"
    for n, d in enumerate([1, 8, 15, 22, 29, 36]):
        pay(a, EUROSTAR, at(day(d), 19, 30 + n), 8900 + 1000 * n)

    # C400001, a London customer with a pound account, buys a lot of books.
    a = "C400001"
    pay(a, WATERSTONES[0], at(day(3), 18, 30, zone="london"), 18500, "GBP")   # Thu 5 Nov, late opening
    pay(a, WATERSTONES[1], at(day(10), 12, 0, zone="london"), 6000, "GBP")
    pay(a, WATERSTONES[2], at(day(17), 19, 15, zone="london"), 4250, "GBP")   # cap reached
    pay(a, EUROSTAR, at(day(18), 20, 0, zone="london"), 15800, "GBP")

    # C100007 spends a week in Tokyo; C100008 goes shopping in London: a coat
    # at Selfridges takes both the abroad rule and the conversion commission
    # refund to their monthly caps.
    trip("C100007", "tokyo", day(9), 6)
    a = "C100008"
    london = {name: merchant for _, merchant, *_ in TRIPS["london"][1] for name in [merchant["name"]]}
    for d, hour, name, local in [(12, 9, "PRET A MANGER LONDON", 845), (12, 15, "SELFRIDGES & CO", 89500),
                                 (12, 20, "DISHOOM COVENT GARDEN", 6230), (13, 11, "WATERSTONES PICCADILLY", 2499),
                                 (13, 13, "TFL TRAVEL CH", 1280), (14, 10, "PRET A MANGER LONDON", 1105)]:
        pay(a, london[name], at(day(d), hour, 7, zone="london"), converted(local, "GBP"), original=(local, "GBP"))


# ---- background activity -------------------------------------------------------

stories()

for n in range(DAYS):
    d = day(n)
    weekday = d.weekday()
    base = {0: 26, 1: 27, 2: 28, 3: 29, 4: 33, 5: 40, 6: 16}[weekday]
    if d.month == 12:
        base = int(base * 1.25)            # Christmas shopping
    for _ in range(base):
        if rng.random() < 0.06:
            sterling_payment(rng.choice(STERLING), d)
            continue
        pool = [acc for acc in NEWCOMERS if NEWCOMER_START[acc] <= d]
        if pool and rng.random() < 0.12:
            everyday_payment(rng.choice(pool), d)
            continue
        everyday_payment(rng.choices(REGULARS, weights=[ACTIVITY[a] for a in REGULARS])[0], d)

# Every existing customer uses the card at least once in November (so that,
# in a dry-run that starts from nothing, the welcome offer goes to newcomers).
seen = {event["account"] for event, moment, _ in payments if moment.month == 11}
for account in REGULARS:
    if account not in seen:
        everyday_payment(account, day(rng.randint(0, 27)))

# Black Friday rush at Fnac, Friday 27 to Sunday 29 November.
for n in (25, 26, 27):
    for _ in range({25: 24, 26: 18, 27: 12}[n]):
        account = rng.choice(REGULARS)
        online = rng.random() < 0.6
        shop = rng.choice(FNAC_ONLINE[:1] if online else FNAC_STORES[:1] + FNAC_STORES[2:])
        moment = online_time(day(n)) if online else shop_time(day(n), 9, 21)
        pay(account, shop, moment, price(60, 900, 1.8))

# A few more trips abroad.
for index, (city, start, length) in enumerate([
        ("barcelona", 6, 4), ("geneva", 13, 2), ("newyork", 18, 5), ("london", 26, 3),
        ("barcelona", 31, 3), ("tokyo", 33, 7), ("geneva", 37, 2), ("london", 39, 2)]):
    trip(REGULARS[17 + 23 * index], city, day(start), length)


# ---- refunds and reversals ------------------------------------------------------

END = dt.datetime.combine(day(DAYS - 1), dt.time(23, 0), tzinfo=TZ["paris"])

candidates = [p for p in payments
              if p[0]["currency"] == "EUR" and p[2] >= 2000
              and p[0]["merchant"]["mcc"] in ("5941", "5732", "5942", "5719", "5651", "5311", "5712", "5411")
              and not p[0]["account"].startswith("C1")]      # the scripted customers have their own
rng.shuffle(candidates)
for index, payment in enumerate(candidates[:34]):
    event, moment, minor = payment
    when = moment + dt.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 6))
    if when > END:
        continue
    style = index % 4
    if style == 0:                                   # full refund: goods returned
        refund(payment, when, minor)
    elif style == 1:                                 # one item of the basket returned
        refund(payment, when, max(100, minor * rng.randint(15, 60) // 100))
    elif style == 2:                                 # two returns that add up to everything
        part = max(100, minor * rng.randint(30, 70) // 100)
        refund(payment, when, part)
        later = when + dt.timedelta(days=rng.randint(1, 4))
        if later < END:
            refund(payment, later, minor - part)
    else:                                            # a small price adjustment
        refund(payment, when, max(100, minor // 10))

# Stories for refunds: the bike goes back in part (a wheel), the laptop in full.
bike = next(p for p in payments if p[0]["account"] == "C100001")
refund(bike, at(day(11), 17, 0), 12999)
laptop = next(p for p in payments if p[0]["account"] == "C100003" and p[0]["merchant"]["name"] == "FNAC PARIS TERNES")
refund(laptop, at(day(38), 11, 0), 89900)

# A chargeback (the customer disputed a Fnac purchase) and a cancelled fuel payment.
disputed = next(p for p in payments if p[0]["merchant"]["name"] == "FNAC.COM" and p[2] > 15000 and p[1] < at(day(20), 0, 0))
refund(disputed, disputed[1] + dt.timedelta(days=9), kind="reversal")
fuel = next(p for p in payments if p[0]["merchant"]["mcc"] == "5541" and p[0]["account"] != "C100002" and p[1] > at(day(30), 0, 0))
refund(fuel, fuel[1] + dt.timedelta(minutes=7), kind="reversal")


# ---- arrival order and the special lines ---------------------------------------

events.sort(key=lambda item: (item[0], item[1]))
# Ids are numbered in the order the processor forwards the events.
counter = {"payment": 0, "refund": 0, "reversal": 0}
prefix = {"payment": "pay", "refund": "rfd", "reversal": "rev"}
for _, _, event in events:
    kind = event.get("type", "payment")
    counter[kind] += 1
    event["id"] = f"{prefix[kind]}-{counter[kind]:06d}"
for _, _, event in events:
    if "original_id" in event:
        event["original_id"] = event["original_id"]["id"]
lines = [json.dumps(event, separators=(",", ":"), ensure_ascii=False) for _, _, event in events]


def payment_line_near(index):
    """The index of the first plain payment line at or after `index`."""
    return next(i for i in range(index, len(lines)) if lines[i].startswith('{"id":"pay-'))


def insert_at_time(text, occurred_at):
    """Inserts a line before the first event that happened after `occurred_at`; returns its index."""
    moment = dt.datetime.fromisoformat(occurred_at.replace("Z", "+00:00"))
    for index, line in enumerate(lines):
        try:
            other = json.loads(line)["occurred_at"]
        except (ValueError, KeyError):
            continue
        if dt.datetime.fromisoformat(other.replace("Z", "+00:00")) > moment:
            lines.insert(index, text)
            return index
    lines.append(text)
    return len(lines) - 1


# An orphan: the acquirer's refund for a Petite Boutique order reaches us
# before the order itself, which was cleared a day late.
refunded = {event["original_id"] for _, _, event in events if "original_id" in event}
order = next(event for event, moment, minor in payments
             if event["merchant"]["name"].startswith("PETITE") and event["merchant"]["channel"] == "online"
             and moment > at(day(31), 0, 0) and minor > 3000 and event["id"] not in refunded)
order_line = json.dumps(order, separators=(",", ":"), ensure_ascii=False)
lines.remove(order_line)
early = {"id": "rfd-900001", "type": "refund", "original_id": order["id"], "account": order["account"],
         "occurred_at": stamp(dt.datetime.fromisoformat(order["occurred_at"]) + dt.timedelta(days=1)),
         "amount": money(int(order["amount"].replace(".", "")) // 2, "EUR"), "currency": "EUR"}
where = insert_at_time(json.dumps(early, separators=(",", ":")), early["occurred_at"])
lines.insert(where + 30, order_line)

# An orphan for good: a refund of an October payment, older than this file.
lines.insert(12, json.dumps(
    {"id": "rfd-900002", "type": "refund", "original_id": "pay-0-oct-118734", "account": "C200042",
     "occurred_at": "2026-11-02T09:41:10+01:00", "amount": "24.90", "currency": "EUR"},
    separators=(",", ":")))

# A payment sent twice by a network retry (identical), and an acquirer
# correction sent under the same id with another amount (a conflict).
retried = payment_line_near(300)
lines.insert(retried + 3, lines[retried])
corrected_at = payment_line_near(700)
corrected = json.loads(lines[corrected_at])
corrected["amount"] = money(int(corrected["amount"].replace(".", "")) + 1000, corrected["currency"])
lines.insert(corrected_at + 5, json.dumps(corrected, separators=(",", ":"), ensure_ascii=False))

# A payment made on the evening of 30 November on a train without network,
# forwarded the next morning: it still counts in November.
late = {"id": "pay-900003", "account": "C200058", "occurred_at": "2026-11-30T22:47:00+01:00",
        "amount": "12.40", "currency": "EUR",
        "merchant": {"siret": "65201405100033", "name": "CRF CITY GARE DE LYON", "mcc": "5411",
                     "country": "FR", "channel": "in_store"}, "scheme": "CB"}
insert_at_time(json.dumps(late, separators=(",", ":")), "2026-12-01T09:05:00+01:00")

# Broken lines, as they turn up in real feeds, each among the events of its time.
broken = [
    # three decimals in euros
    ("2026-11-06T12:31:00+01:00",
     '{"id":"pay-900010","account":"C200113","occurred_at":"2026-11-06T12:31:00+01:00","amount":"23.405",'
     '"currency":"EUR","merchant":{"name":"MONOPRIX PARIS 9","mcc":"5411","country":"FR","channel":"in_store"}}'),
    # no account
    ("2026-11-13T18:02:00+01:00",
     '{"id":"pay-900011","occurred_at":"2026-11-13T18:02:00+01:00","amount":"54.00","currency":"EUR",'
     '"merchant":{"mid":"MID345","name":"DECATHLON PARIS MADELEINE","mcc":"5941","country":"FR","channel":"in_store"}}'),
    # yen have no decimals
    ("2026-11-14T13:05:00+09:00",
     '{"id":"pay-900014","account":"C100007","occurred_at":"2026-11-14T13:05:00+09:00","amount":"8.05",'
     '"currency":"EUR","merchant":{"name":"LAWSON SHIBUYA","mcc":"5499","country":"JP","channel":"in_store"},'
     '"original_amount":"1315.50","original_currency":"JPY"}'),
    # not an ISO 4217 code
    ("2026-11-20T10:15:00+01:00",
     '{"id":"pay-900012","account":"C200077","occurred_at":"2026-11-20T10:15:00+01:00","amount":"31.50",'
     '"currency":"EURO","merchant":{"name":"CARREFOUR MARKET PARIS 15","mcc":"5411","country":"FR","channel":"in_store"}}'),
    # a refund without an amount
    ("2026-12-02T09:00:00+01:00",
     '{"id":"rfd-900015","type":"refund","original_id":"pay-000010","occurred_at":"2026-12-02T09:00:00+01:00",'
     '"currency":"EUR"}'),
]
for occurred_at, text in broken:
    insert_at_time(text, occurred_at)
# A line cut off in transit, followed by a blank line (ignored, but it counts
# in the line numbers that dry-run reports).
where = insert_at_time(
    '{"id":"pay-900013","account":"C200201","occurred_at":"2026-11-24T16:40:00+01:00","amount":"19.9',
    "2026-11-24T16:40:00+01:00")
lines.insert(where + 1, "")

OUTPUT.parent.mkdir(parents=True, exist_ok=True)
OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"wrote {len(lines)} lines to {OUTPUT}")
