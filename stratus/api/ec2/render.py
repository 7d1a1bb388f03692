"""EC2 XML documents, built with ElementTree.

A handler returns plain data whose keys are the element names of
botocore's EC2 service model (``instancesSet``, ``instanceState``...):
a dict becomes child elements in order, a list becomes ``<item>``
elements, booleans ``true``/``false``, datetimes ISO 8601 with
milliseconds and a Z; ``None`` leaves the element out.
"""
import datetime
from xml.etree import ElementTree

DEFAULT_VERSION = '2016-11-15'
NAMESPACE = 'http://ec2.amazonaws.com/doc/%s/'


def timestamp(value):
    """``2026-01-02T03:04:05.000Z`` (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return value.strftime('%Y-%m-%dT%H:%M:%S.') + \
        '%03dZ' % (value.microsecond // 1000)


def _text(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, datetime.datetime):
        return timestamp(value)
    return str(value)


def _fill(parent, value):
    if isinstance(value, dict):
        for key, child in value.items():
            if child is None:
                continue
            _fill(ElementTree.SubElement(parent, key), child)
    elif isinstance(value, (list, tuple)):
        for child in value:
            _fill(ElementTree.SubElement(parent, 'item'), child)
    else:
        parent.text = _text(value)


def _serialize(root):
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + \
        ElementTree.tostring(root, encoding='utf-8',
                             xml_declaration=False)


def response(action, request_id, body, version=None):
    """The ``<{action}Response>`` document of a successful action."""
    root = ElementTree.Element(
        '%sResponse' % action,
        {'xmlns': NAMESPACE % (version or DEFAULT_VERSION)})
    ElementTree.SubElement(root, 'requestId').text = request_id
    _fill(root, body or {})
    return _serialize(root)


def error(code, message, request_id):
    """``<Response><Errors><Error><Code>..`` as EC2 answers failures."""
    root = ElementTree.Element('Response')
    err = ElementTree.SubElement(ElementTree.SubElement(root, 'Errors'),
                                 'Error')
    ElementTree.SubElement(err, 'Code').text = code
    ElementTree.SubElement(err, 'Message').text = message
    ElementTree.SubElement(root, 'RequestID').text = request_id
    return _serialize(root)
