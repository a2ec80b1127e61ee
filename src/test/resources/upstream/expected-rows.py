"""Writes expected-rows.csv: every row of every specimen as published, value ÷ nominal, worked out apart from the
service's parsers (Python's XML, JSON and decimal modules; 34 significant digits, half-even, as Java's DECIMAL128).
Run from this directory: python3 expected-rows.py > expected-rows.csv"""
import csv
import decimal
import json
import sys
import xml.etree.ElementTree as ET
from datetime import datetime

decimal.getcontext().prec = 34
decimal.getcontext().rounding = decimal.ROUND_HALF_EVEN


def num(text):
    return decimal.Decimal(text.strip().replace(',', '.'))


def day(text, pattern):
    return datetime.strptime(text.strip(), pattern).date().isoformat()


def xml(name, currency, row, code, value, nominal, date, pattern):
    """The rows of an XML table: each ROW element's CODE (a function of it), VALUE / NOMINAL, dated by DATE."""
    root = ET.parse(name).getroot()
    as_of = day(date(root), pattern)
    for r in root.iter(row):
        yield name, currency, code(r), as_of, num(r.findtext(value)) / num(r.findtext(nominal))


def rows():
    yield from xml('nbkr-daily.xml', 'KGS', 'Currency', lambda r: r.get('ISOCode'), 'Value', 'Nominal',
                   lambda root: root.get('Date'), '%d.%m.%Y')
    for name in ('nbk-get-rates-2026-04-01.xml', 'nbk-get-rates-2026-04-02.xml'):
        yield from xml(name, 'KZT', 'item', lambda r: r.findtext('title'), 'description', 'quant',
                       lambda root: root.findtext('date'), '%d.%m.%Y')
    for name in ('cbu-all-2026-04-01.json', 'cbu-all-2026-04-02.json'):
        for e in json.load(open(name, encoding='utf-8')):
            yield name, 'UZS', e['Ccy'], day(e['Date'], '%d.%m.%Y'), num(e['Rate']) / num(e['Nominal'])
    for name in ('nbt-2026-05-18.xml', 'nbt-2026-05-19.xml'):
        yield from xml(name, 'TJS', 'Valute', lambda r: r.findtext('CharCode'), 'Value', 'Nominal',
                       lambda root: root.get('Date'), '%Y-%m-%d')
    for name in ('cbt-20052026.xml', 'cbt-21052026.xml'):
        yield from xml(name, 'TMT', 'rate', lambda r: r.get('code'), 'rate_tmt', 'multiplier',
                       lambda root: root.findtext('date'), '%d.%m.%Y')
    yield from xml('cbr-xml-daily-2026-04-25.xml', 'RUB', 'Valute', lambda r: r.findtext('CharCode'), 'Value',
                   'Nominal', lambda root: root.get('Date'), '%d.%m.%Y')


out = csv.writer(sys.stdout, lineterminator='\n')
out.writerow(['specimen', 'currency', 'quote', 'asOf', 'value'])
for specimen, currency, quote, as_of, value in rows():
    out.writerow([specimen, currency, quote, as_of, format(value.normalize(), 'f')])
