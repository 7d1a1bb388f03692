"""JSON schemas of the compute API request bodies, and the check itself."""
import jsonschema

from stratus import exception

_checker = jsonschema.FormatChecker()


def validate(schema, body):
    """Check ``body`` against ``schema``.

    :raises: ValidationError (400) naming the offending field.
    """
    validator = jsonschema.Draft4Validator(schema, format_checker=_checker)
    errors = sorted(validator.iter_errors(body),
                    key=lambda e: (len(e.path), list(map(str, e.path))))
    if not errors:
        return
    err = errors[0]
    field = '/'.join(str(p) for p in err.path) or 'request body'
    if err.validator == 'additionalProperties':
        reason = 'Additional properties are not allowed: %s' % err.message
    elif err.validator == 'required':
        reason = err.message
    else:
        reason = 'Value: %.100r. %s' % (err.instance, err.message)
    raise exception.ValidationError(field=field, reason=reason)
