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


def rows():
    root = ET.parse('nbkr-daily.xml').getroot()
    for c in root.iter('Currency'):
        yield 'nbkr-daily.xml', 'KGS', c.get('ISOCode'), day(root.get('Date'), '%d.%m.%Y'), \
            num(c.findtext('Value')) / num(c.findtext('Nominal'))
    for name in ('nbk-get-rates-2026-04-01.xml', 'nbk-get-rates-2026-04-02.xml'):
        root = ET.parse(name).getroot()
        for item in root.iter('item'):
            yield name, 'KZT', item.findtext('title'), day(root.findtext('date'), '%d.%m.%Y'), \
                num(item.findtext('description')) / num(item.findtext('quant'))
    for name in ('cbu-all-2026-04-01.json', 'cbu-all-2026-04-02.json'):
        for e in json.load(open(name, encoding='utf-8')):
            yield name, 'UZS', e['Ccy'], day(e['Date'], '%d.%m.%Y'), num(e['Rate']) / num(e['Nominal'])
    for name in ('nbt-2026-05-18.xml', 'nbt-2026-05-19.xml'):
        root = ET.parse(name).getroot()
        for v in root.iter('Valute'):
            yield name, 'TJS', v.findtext('CharCode'), day(root.get('Date'), '%Y-%m-%d'), \
                num(v.findtext('Value')) / num(v.findtext('Nominal'))
    for name in ('cbt-20052026.xml', 'cbt-21052026.xml'):
        root = ET.parse(name).getroot()
        for r in root.iter('rate'):
            yield name, 'TMT', r.get('code'), day(root.findtext('date'), '%d.%m.%Y'), \
                num(r.findtext('rate_tmt')) / num(r.findtext('multiplier'))
    root = ET.parse('cbr-xml-daily-2026-04-25.xml').getroot()
    for v in root.iter('Valute'):
        yield 'cbr-xml-daily-2026-04-25.xml', 'RUB', v.findtext('CharCode'), day(root.get('Date'), '%d.%m.%Y'), \
            num(v.findtext('Value')) / num(v.findtext('Nominal'))


out = csv.writer(sys.stdout, lineterminator='\n')
out.writerow(['specimen', 'currency', 'quote', 'asOf', 'value'])
for specimen, currency, quote, as_of, value in rows():
    out.writerow([specimen, currency, quote, as_of, format(value.normalize(), 'f')])
