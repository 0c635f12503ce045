#!/usr/bin/env python3
"""Writes a realistic news rule set of N rules (default 1000) in two phases,
for the rule engine benchmark (bench-rules.c):

  OUT_DIR/bench-entities.rules  entity rules (~40%): titles and names,
      organisation suffixes, places after prepositions, money, percent,
      dates, quantities, ordinals, regex-shaped codes;
  OUT_DIR/bench-events.rules    event rules (~60%) in the ACE style: an
      agent entity or title-cased span, a trigger lemma list, gaps, and
      role arguments, over the entities of the first phase.

Rules start the way hand-written rules do: most with a literal word or an
entity, some with a class test ([is=title]) or a regular expression, a few
with a wildcard.  Deterministic (fixed seed).  Python 3 standard library.

usage: gen-rules.py OUT_DIR [N]"""
import os
import random
import sys

TITLES = ["president", "minister", "prime minister", "senator", "governor", "mayor", "general",
          "chancellor", "secretary", "ambassador", "judge", "chairman", "ceo", "director",
          "spokesman", "spokeswoman", "commissioner", "king", "queen", "prince", "pope",
          "dr", "mr", "mrs", "ms", "professor", "coach", "captain", "colonel", "inspector"]
ORG_SUFFIX = ["corp", "inc", "ltd", "group", "bank", "university", "party", "council", "agency",
              "ministry", "airlines", "motors", "holdings", "institute", "foundation", "association",
              "union", "committee", "court", "army", "police", "company", "fund", "club", "plc",
              "gmbh", "llc", "co", "corporation", "industries", "systems", "technologies",
              "airways", "railways", "energy", "petroleum", "pharmaceuticals", "telecom",
              "media", "press", "times", "post", "herald", "tribune", "broadcasting", "network",
              "federation", "league", "alliance", "front", "movement", "brigade", "battalion",
              "navy", "commission", "authority", "bureau", "department", "office", "service",
              "school", "college", "hospital", "museum", "orchestra", "theatre", "church"]
PLACE_CUES = ["city", "town", "village", "province", "state", "region", "district", "county",
              "capital", "port", "island", "republic", "kingdom", "valley", "river", "lake",
              "mount", "gulf", "bay", "desert", "coast", "border", "suburb", "township",
              "municipality", "prefecture", "emirate", "canton", "territory", "oblast"]
NATIONALITIES = ["american", "british", "french", "german", "chinese", "japanese", "indian",
                 "russian", "brazilian", "mexican", "canadian", "australian", "italian", "spanish",
                 "korean", "iranian", "iraqi", "syrian", "israeli", "palestinian", "egyptian",
                 "turkish", "greek", "polish", "ukrainian", "swedish", "norwegian", "dutch",
                 "belgian", "swiss", "austrian", "nigerian", "kenyan", "ethiopian", "pakistani",
                 "afghan", "saudi", "thai", "vietnamese", "indonesian", "filipino", "argentine",
                 "chilean", "peruvian", "colombian", "venezuelan", "cuban", "irish", "scottish"]
ROLES = ["government", "army", "troops", "officials", "president", "minister", "police",
         "forces", "diplomats", "embassy", "navy", "authorities", "parliament", "court",
         "company", "investors", "voters", "workers", "students", "activists", "rebels",
         "militants", "leaders", "team", "fans", "media", "economy", "market", "delegation"]
PLACE_PREP = ["in", "at", "from", "to", "near", "across", "outside", "inside", "throughout"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "feb", "sept", "oct", "nov", "dec"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
UNITS = ["kilometres", "miles", "tonnes", "barrels", "hectares", "metres", "litres", "acres",
         "megawatts", "kilograms", "pounds", "feet", "degrees", "votes", "seats", "troops"]
CURRENCY = ["dollars", "euros", "pounds", "yen", "yuan", "rupees", "francs", "pesos", "rubles"]
EVENTS = {
    "Conflict.Attack": ["attack", "bomb", "shell", "strike", "raid", "ambush", "invade", "fire",
                        "shoot", "assault", "target", "hit", "storm", "besiege", "bombard",
                        "torpedo", "stab", "blast", "rocket", "overrun", "ransack", "loot"],
    "Contact.Meet": ["meet", "visit", "host", "welcome", "receive", "talk", "discuss", "confer",
                     "greet", "consult", "negotiate", "convene", "gather", "assemble", "summon"],
    "Contact.Agreement": ["sign", "agree", "approve", "ink", "ratify", "endorse", "conclude"],
    "Justice.Arrest-Jail": ["arrest", "detain", "jail", "imprison", "apprehend", "capture",
                            "incarcerate", "nab", "seize", "hold", "intern", "lock"],
    "Justice.Sentence": ["sentence", "convict", "fine", "condemn"],
    "Justice.Sue": ["sue", "charge", "indict", "prosecute", "accuse"],
    "Life.Die": ["die", "kill", "murder", "execute", "assassinate", "slay"],
    "Life.Injure": ["injure", "wound", "hurt", "maim"],
    "Personnel.Elect": ["elect", "vote", "re-elect", "choose", "win"],
    "Personnel.Start-Position": ["appoint", "name", "hire", "nominate", "promote"],
    "Personnel.End-Position": ["resign", "fire", "dismiss", "sack", "retire", "quit", "oust"],
    "Transaction.Transfer-Money": ["pay", "donate", "lend", "fund", "grant", "invest", "spend"],
    "Business.Merge-Org": ["merge", "acquire", "buy", "purchase", "absorb", "combine"],
    "Business.Start-Org": ["found", "launch", "establish", "create", "open"],
    "Movement.Transport": ["travel", "fly", "move", "arrive", "return", "leave", "depart",
                           "send", "deploy", "evacuate", "ship", "transport", "airlift",
                           "relocate", "flee", "migrate", "sail", "drive", "ferry", "carry"],
    "Conflict.Demonstrate": ["protest", "demonstrate", "march", "rally", "strike"],
}
NOUN_TRIGGERS = ["attack", "bombing", "meeting", "summit", "talks", "agreement", "deal", "treaty",
                 "arrest", "election", "vote", "merger", "acquisition", "protest", "visit",
                 "resignation", "appointment", "killing", "explosion", "raid", "strike"]
THEMES = ["agreement", "pact", "treaty", "deal", "accord", "memorandum", "bill", "law", "budget",
          "contract", "plan", "resolution", "ceasefire", "declaration", "charter", "order"]
ENTS = ["PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"]


def q(word):
    return '"%s"' % word


def alts(rng, pool, k):
    return "|".join(rng.sample(pool, min(k, len(pool))))


def entity_rule(rng, i):
    kind = rng.random()
    if kind < 0.15:
        titles = " | ".join(q(t) for t in rng.sample(TITLES, rng.randint(1, 2)))
        return ("person_title_%d" % i, "PERSON",
                "(%s) \".\"? (name: [is=title & !ent]{1,%d})" % (titles, rng.randint(2, 3)),
                "name", rng.randint(0, 3))
    if kind < 0.35:
        suf = alts(rng, ORG_SUFFIX, rng.randint(1, 2))
        return ("org_suffix_%d" % i, "ORG", "[is=title]{1,3} [lower=%s] \".\"?" % suf, None,
                rng.randint(0, 2))
    if kind < 0.50:
        return ("place_%d" % i, "GPE",
                "[lower=%s] \"of\" (place: [is=title & !ent]{1,2})" % alts(rng, PLACE_CUES, 2),
                "place", 0)
    if kind < 0.53:
        return ("money_%d" % i, "MONEY",
                "\"$\" [is=number] (\"million\" | \"billion\")? | [is=number] "
                "(\"million\" | \"billion\")? [lower=%s]" % alts(rng, CURRENCY, 2), None, 1)
    if kind < 0.54:
        return ("percent_%d" % i, "PERCENT",
                "[is=number] (\"percent\" | \"per\" \"cent\" | \"%%\")", None, 1)
    if kind < 0.60:
        months = alts(rng, MONTHS, rng.randint(1, 3))
        return ("date_%d" % i, "DATE",
                "[lower=%s] \".\"? [is=digit & shape=d|dd]? \",\"? [shape=dddd]? | "
                "\"last\" [lower=%s]" % (months, alts(rng, WEEKDAYS, 2)), None, 0)
    if kind < 0.70:
        return ("quantity_%d" % i, "QUANTITY", "[is=number] [lower=%s]" %
                alts(rng, UNITS, rng.randint(1, 2)), None, 0)
    if kind < 0.72:
        letters = "".join(rng.sample("ABCDEFGHJKLMNPRSTUVWXYZ", 3))
        return ("code_%d" % i, "PRODUCT", "[word=/[%s]{1,2}-?[0-9]{1,4}[A-Z]?/] [is=title]?" % letters,
                None, 0)
    if kind < 0.73:
        return ("ordinal_%d" % i, "ORDINAL", "[word=/[0-9]+(st|nd|rd|th)/]", None, 0)
    return ("norp_%d" % i, "NORP", "(n: [lower=%s]) [lower=%s]" % (
        alts(rng, NATIONALITIES, rng.randint(1, 3)), alts(rng, ROLES, rng.randint(1, 4))), "n", 0)


def event_rule(rng, i):
    etype = rng.choice(sorted(EVENTS))
    lemmas = alts(rng, EVENTS[etype], rng.randint(1, 3))
    a = " | ".join("@" + e for e in rng.sample(ENTS, rng.randint(1, 3)))
    b = " | ".join("@" + e for e in rng.sample(ENTS, rng.randint(1, 2)))
    shape = rng.random()
    if shape < 0.35:
        pat = "(agent: %s) []{0,%d} (trigger: [lemma=%s]) []{0,%d} (patient: %s)" % (
            a, rng.randint(2, 6), lemmas, rng.randint(1, 4), b)
    elif shape < 0.55:
        pat = "(trigger: [lemma=%s]) [lower=by|with|against]? []{0,3} (agent: %s | [is=title]+)" % (
            lemmas, a)
    elif shape < 0.70:
        pat = "(agent: %s) (trigger: [lemma=%s]) (theme: []{0,2} [lower=%s])" % (
            a, lemmas, alts(rng, THEMES, 4))
    elif shape < 0.85:
        pat = "(trigger: \"%s\") [lower=of|in|on|with] \"the\"? (place: @GPE | @LOC | [is=title]{1,2})" % (
            rng.choice(NOUN_TRIGGERS))
    else:
        pat = "(agent: [is=title & !is=upper]{1,2}) [lower=has|have|had|was|were]? (trigger: [lemma=%s]) " \
              "(patient: %s)?" % (lemmas, b)
    return ("%s_%d" % (etype.split(".")[1].lower().replace("-", "_"), i), etype, pat,
            rng.randint(0, 2))


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = random.Random(20201007)
    os.makedirs(out, exist_ok=True)
    n_ent = n * 2 // 5
    with open(os.path.join(out, "bench-entities.rules"), "w") as f:
        f.write("# generated by tests/bench/gen-rules.py: entity rules (phase 1)\n")
        for i in range(n_ent):
            name, label, pat, span, prio = entity_rule(rng, i)
            f.write("\nrule %s\n  entity %s\n  pattern %s\n" % (name, label, pat))
            if span:
                f.write("  span %s\n" % span)
            if prio:
                f.write("  priority %d\n" % prio)
    with open(os.path.join(out, "bench-events.rules"), "w") as f:
        f.write("# generated by tests/bench/gen-rules.py: event rules (phase 2)\n")
        for i in range(n - n_ent):
            name, etype, pat, prio = event_rule(rng, i)
            f.write("\nrule %s\n  event %s\n  pattern %s\n" % (name, etype, pat))
            if prio:
                f.write("  priority %d\n  attr source=bench\n" % prio)
    print("gen-rules.py: %d entity rules, %d event rules in %s" % (n_ent, n - n_ent, out))


if __name__ == "__main__":
    main()
