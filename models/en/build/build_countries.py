#!/usr/bin/env python3
"""Build gazetteer/countries.tsv (GPE) from ISO 3166-1 in Debian's
iso-codes (/usr/share/iso-codes/json/iso_3166-1.json): name, common_name
and official_name of every country and dependency, made into the forms
news text uses, plus the hand-written short forms below.

ISO's inverted names ("Korea, Republic of") are turned round ("Republic of
Korea"); parenthetical parts are dropped ("Falkland Islands (Malvinas)");
"Saint X" gets "St. X" and "St X" variants; names with diacritics get an
ASCII variant ("Côte d'Ivoire" -> "Cote d'Ivoire"), and names with an
apostrophe a typographic-apostrophe variant.  Countries of 1990s news
that ISO 3166-3 (iso_3166-3.json) lists as withdrawn (Soviet Union,
Yugoslavia, Czechoslovakia, Zaire ...) are GPE too, with their 3166-3
code.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nervedata import GAZ, clean_term, variants, write_tsv  # noqa: E402

ISO = os.environ.get("ISO_CODES_DIR", "/usr/share/iso-codes/json")

# ISO entries that are not matched as GPE (Antarctica is a continent: LOC,
# in locations.tsv).
SKIP_CODES = {"AQ"}

# ISO names replaced by hand: the ISO form would be garbage as a term.
REPLACE = {
    "TW": ["Taiwan"],                        # "Taiwan, Province of China"
    "CD": ["Democratic Republic of the Congo"],
    "BQ": ["Bonaire", "Sint Eustatius", "Caribbean Netherlands"],
    "SH": ["Saint Helena", "Ascension Island", "Tristan da Cunha"],
    "VI": ["U.S. Virgin Islands", "US Virgin Islands", "United States Virgin Islands"],
    "VG": ["British Virgin Islands"],
    "CC": ["Cocos Islands", "Keeling Islands", "Cocos and Keeling Islands"],
    "FK": ["Falkland Islands", "Falklands", "Malvinas", "Islas Malvinas"],
    "VA": ["Holy See", "Vatican", "Vatican City"],
    "PN": ["Pitcairn Islands", "Pitcairn"],
    "RE": ["Réunion"],                       # ASCII "Reunion" is an English word
}

# Short and usual forms written by hand (from general knowledge).
EXTRA = {
    "US": ["U.S.", "US", "U.S.A.", "USA", "United States", "United States of America", "America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"],
    "RU": ["Russia"], "KR": ["South Korea", "Republic of Korea", "S. Korea"],
    "KP": ["North Korea", "DPRK", "N. Korea"], "IR": ["Iran"], "SY": ["Syria"],
    "VN": ["Vietnam", "Viet Nam"], "LA": ["Laos", "Lao PDR"], "BO": ["Bolivia"],
    "VE": ["Venezuela"], "TZ": ["Tanzania"], "MD": ["Moldova"], "FM": ["Micronesia"],
    "CZ": ["Czech Republic", "Czechia"], "CI": ["Ivory Coast", "Côte d'Ivoire"],
    "CG": ["Republic of Congo", "Republic of the Congo", "Congo-Brazzaville", "Congo Brazzaville"],
    "CD": ["DR Congo", "DRC", "D.R. Congo", "Democratic Republic of Congo", "Congo-Kinshasa",
           "Congo Kinshasa"],
    "TW": ["Taiwan", "Republic of China"], "PS": ["Palestine", "State of Palestine",
                                                  "West Bank", "Gaza Strip"],
    "MM": ["Myanmar", "Burma"], "SZ": ["Eswatini", "Swaziland"],
    "MK": ["North Macedonia", "Macedonia"], "TR": ["Turkey", "Türkiye", "Republic of Turkey"],
    "CV": ["Cape Verde", "Cabo Verde"], "TL": ["East Timor", "Timor-Leste", "Timor Leste"],
    "NL": ["Netherlands", "Holland"], "BN": ["Brunei"], "AE": ["UAE", "U.A.E.", "United Arab Emirates"],
    "CN": ["China", "PRC", "People's Republic of China", "Mainland China"],
    "HK": ["Hong Kong"], "MO": ["Macau", "Macao"], "BA": ["Bosnia", "Bosnia-Herzegovina"],
    "TT": ["Trinidad", "Tobago"], "AG": ["Antigua"], "KN": ["St Kitts", "St. Kitts", "Saint Kitts"],
    "VC": ["St Vincent", "St. Vincent", "Saint Vincent"], "ST": ["São Tomé and Príncipe"],
    "GM": ["Gambia", "The Gambia"], "BS": ["Bahamas", "The Bahamas"],
    "IE": ["Ireland", "Republic of Ireland"], "SA": ["Saudi Arabia", "Kingdom of Saudi Arabia"],
    "NZ": ["New Zealand"], "PG": ["Papua New Guinea"], "DO": ["Dominican Republic"],
    "CF": ["Central African Republic"], "GQ": ["Equatorial Guinea"], "SV": ["El Salvador"],
    "BL": ["St. Barts", "St Barts", "Saint Barts"], "MF": ["Saint Martin"],
    "SX": ["Sint Maarten"], "HM": ["Heard Island"], "WF": ["Wallis and Futuna"],
    "KG": ["Kyrgyzstan"], "BY": ["Belarus"], "SK": ["Slovakia"], "CH": ["Switzerland"],
}

# Countries of 1990s news that ISO 3166-3 lists as withdrawn, in the forms
# news writes (from general knowledge): GPE with kb=iso3166-3:CODE.
FORMER = {
    "SUHH": ["Soviet Union", "USSR", "U.S.S.R.", "Union of Soviet Socialist Republics"],
    "YUCS": ["Yugoslavia", "Federal Republic of Yugoslavia"],
    "CSHH": ["Czechoslovakia"],
    "DDDE": ["East Germany", "German Democratic Republic"],
    "ZRCD": ["Zaire"],
    "RHZW": ["Rhodesia", "Southern Rhodesia"],
    "CSXX": ["Serbia and Montenegro"],
    "YDYE": ["South Yemen"],
    "VDVN": ["North Vietnam"],
    "ANHH": ["Netherlands Antilles"],
}

# Ambiguous short forms, and Kosovo (not in ISO 3166-1; XK is only a
# user-assigned code): GPE without a kb id.
NO_KB = ["Korea", "Congo", "Kosovo", "Republic of Kosovo", "West Germany"]

# ASCII-folded forms that are English words.
FOLD_STOP = {"Reunion"}


def iso_forms(name):
    """ISO 3166-1 name -> clean news forms."""
    name = name.strip()
    if name.lower().startswith("the "):
        name = name[4:]
    name = re.sub(r"\s*\([^)]*\)", "", name)
    if ", " in name:
        head, tail = name.split(", ", 1)
        if re.search(r"\b(of|of the)$", tail, re.I):
            tail = re.sub(r"^The ", "", tail)
            name = tail + " " + head
        else:
            return []
    return [clean_term(name)]


def entries():
    """(term, label, attrs) rows, in preference order."""
    data = json.load(open(os.path.join(ISO, "iso_3166-1.json"), encoding="utf-8"))["3166-1"]
    rows = []
    seen = set()

    def add(term, code, kb="iso3166:"):
        for v in variants(term, FOLD_STOP):
            if v in seen:
                continue
            seen.add(v)
            attrs = {"kb": kb + code} if code else {}
            rows.append((v, "GPE", attrs))

    for term in NO_KB:
        add(term, None)
    for e in data:
        code = e["alpha_2"]
        if code in SKIP_CODES:
            continue
        if code in REPLACE:
            names = list(REPLACE[code])
        else:
            names = []
            for key in ("common_name", "name", "official_name"):
                if key in e:
                    names += iso_forms(e[key])
        for n in names + EXTRA.get(code, []):
            add(n, code)
    former = json.load(open(os.path.join(ISO, "iso_3166-3.json"), encoding="utf-8"))["3166-3"]
    codes = {e["alpha_4"] for e in former}
    for code, names in FORMER.items():
        if code not in codes:
            raise SystemExit("not in ISO 3166-3: %s" % code)
        for n in names:
            add(n, code, "iso3166-3:")
    return rows


HOME_NATIONS = ["England", "Scotland", "Wales", "Northern Ireland"]


def main():
    rows = entries()
    write_tsv(os.path.join(GAZ, "countries.tsv"), "build_countries.py", rows,
              options=["case=sensitive", "label=GPE"],
              comments=["ISO 3166-1 countries from Debian iso-codes (LGPL-2.1+) plus "
                        "hand-written short forms; see SOURCES.md"])
    # the same terms as the hidden helper label COUNTRY, so that rules can
    # tell a country from a city (a city names a club in a results line, a
    # country a national side, which stays a place)
    # the home nations of the United Kingdom field national sides too
    # (England beat Wales 2-1): countries here, subdivisions in
    # subdivisions.tsv
    have = {term for term, _, _ in rows}
    teams = [t for t in HOME_NATIONS if t not in have]
    write_tsv(os.path.join(GAZ, "country-names.tsv"), "build_countries.py",
              [(term, "COUNTRY", {}) for term, _, _ in rows] + [(t, "COUNTRY", {}) for t in teams],
              options=["case=sensitive", "label=COUNTRY"],
              comments=["the terms of countries.tsv and the four home nations of the United Kingdom, as the helper label COUNTRY; see "
                        "SOURCES.md"])


if __name__ == "__main__":
    main()
