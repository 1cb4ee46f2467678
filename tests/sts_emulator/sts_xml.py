"""STS's XML response and ErrorResponse documents, in the exact shapes AWS sends (testdata/sts-xml)."""
from xml.sax.saxutils import escape

NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"


def _elements(fields, indent):
    lines = []
    for name, value in fields:
        pad = " " * indent
        if isinstance(value, list):
            lines.append(f"{pad}<{name}>")
            lines.extend(_elements(value, indent + 2))
            lines.append(f"{pad}</{name}>")
        else:
            lines.append(f"{pad}<{name}>{escape(str(value))}</{name}>")
    return lines


def response(action, result_fields, request_id, namespace=NAMESPACE):
    """<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…</ResponseMetadata>.
    An action with no output (IAM's UpdateAccessKey…) passes result_fields None: no Result element."""
    lines = [f'<{action}Response xmlns="{namespace}">']
    if result_fields is None:
        pass
    elif result_fields:
        lines.append(f"  <{action}Result>")
        lines.extend(_elements(result_fields, 4))
        lines.append(f"  </{action}Result>")
    else:
        lines.append(f"  <{action}Result/>")
    lines += ["  <ResponseMetadata>", f"    <RequestId>{request_id}</RequestId>",
              "  </ResponseMetadata>", f"</{action}Response>", ""]
    return "\n".join(lines).encode()


def error(error_type, code, message, request_id, namespace=NAMESPACE):
    lines = [f'<ErrorResponse xmlns="{namespace}">', "  <Error>",
             f"    <Type>{error_type}</Type>", f"    <Code>{escape(code)}</Code>",
             f"    <Message>{escape(message)}</Message>", "  </Error>",
             f"  <RequestId>{request_id}</RequestId>", "</ErrorResponse>", ""]
    return "\n".join(lines).encode()


def credentials(session, expiration):
    return ("Credentials", [("AccessKeyId", session.key_id), ("SecretAccessKey", session.secret),
                            ("SessionToken", session.token), ("Expiration", expiration)])
