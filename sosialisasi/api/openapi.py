"""The OpenAPI 3.1 document of API v1, kept next to the routes it describes.

A test compares it with the URL map (every API route is described, nothing else is) and validates
real answers against its schemas.
"""

from __future__ import annotations

from typing import Any

_NULLABLE_STR = {"type": ["string", "null"]}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}

ERROR = {
    "type": "object",
    "description": "An error, with an Indonesian message for people and a code for programs.",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string"},
        "message": {"type": "string"},
        "status": {"type": "integer"},
        "reason": {
            "type": "string",
            "description": "Why a request was refused (400): not_json, invalid_body, "
            "invalid_reason, unknown_field, missing_code, invalid_code, invalid_session, "
            "invalid_nonce, invalid_scanned_at, invalid_method, invalid_device, invalid_query.",
        },
    },
}

PERSON = {
    "type": "object",
    "required": ["name", "unit", "role"],
    "properties": {
        "name": {"type": "string"},
        "unit": {"type": "string", "description": "Unit kerja (perangkat daerah)."},
        "role": {"type": "string", "enum": ["peserta", "narasumber", "panitia"]},
    },
}

CHECKIN_REQUEST = {
    "type": "object",
    "required": ["code"],
    "additionalProperties": False,
    "properties": {
        "code": {
            "type": "string",
            "minLength": 1,
            "maxLength": 500,
            "description": "What the scanner read: the ticket URL (…/t/<code>) or the bare code.",
        },
        "session_id": {
            "type": ["integer", "null"],
            "minimum": 1,
            "maximum": 2147483647,
            "description": "Session of the event; default: the session open now.",
        },
        "nonce": {
            "type": ["string", "null"],
            "pattern": "^[A-Za-z0-9_.:-]{1,64}$",
            "description": "Client id of this scan; sending it again returns the first answer "
            "and writes nothing.",
        },
        "scanned_at": {
            **_NULLABLE_TIME,
            "description": "When the scan happened (offline scans synced later); never later "
            "than the server's clock.",
        },
        "method": {"type": ["string", "null"], "enum": ["qr", "manual", "offline", None]},
        "device": {"type": ["string", "null"], "maxLength": 120},
    },
}

CHECKIN_RESULT = {
    "type": "object",
    "required": ["result", "message", "checked_in_at", "registration", "session"],
    "properties": {
        "result": {
            "type": "string",
            "enum": ["ok", "already", "unknown", "wrong_event", "cancelled", "not_open"],
        },
        "message": {"type": "string", "description": "Indonesian text to show at the door."},
        "checked_in_at": {
            **_NULLABLE_TIME,
            "description": "Time of the (first) check-in, for ok and already.",
        },
        "registration": {"oneOf": [{"$ref": "#/components/schemas/Person"}, {"type": "null"}]},
        "checkin_id": {
            "type": ["integer", "null"],
            "description": "The check-in row (ok and already), for an undo.",
        },
        "undo_url": {
            "type": ["string", "null"],
            "description": "Where to DELETE this check-in (a new check-in, for organizers).",
        },
        "session": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["id", "title"],
                    "properties": {"id": {"type": "integer"}, "title": {"type": "string"}},
                },
                {"type": "null"},
            ]
        },
    },
}

SESSION = {
    "type": "object",
    "required": ["id", "title", "starts_at", "ends_at", "opens_at", "mandatory"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"},
        "opens_at": {"type": "string", "format": "date-time"},
        "mandatory": {"type": "boolean"},
    },
}

STATUS = {
    "type": "string",
    "enum": ["pending", "registered", "waitlisted", "rejected", "cancelled"],
}

ROSTER = {
    "type": "object",
    "required": ["event", "generated_at", "current_session_id", "sessions", "registrations"],
    "properties": {
        "event": {
            "type": "object",
            "required": ["id", "title", "status"],
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "status": {"type": "string"},
            },
        },
        "generated_at": {"type": "string", "format": "date-time"},
        "current_session_id": {"type": ["integer", "null"]},
        "sessions": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}},
        "registrations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "code", "name", "nip", "unit", "role", "status", "checkins"],
                "properties": {
                    "id": {"type": "integer"},
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "nip": _NULLABLE_STR,
                    "unit": {"type": "string"},
                    "role": {"type": "string"},
                    "status": STATUS,
                    "checkins": {
                        "type": "object",
                        "description": "session id -> check-in time",
                        "additionalProperties": {"type": "string", "format": "date-time"},
                    },
                },
            },
        },
    },
}

SEARCH = {
    "type": "object",
    "required": ["results"],
    "properties": {
        "results": {
            "type": "array",
            "maxItems": 8,
            "items": {
                "type": "object",
                "required": ["code", "name", "nip", "unit", "role", "status"],
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "nip": _NULLABLE_STR,
                    "unit": {"type": "string"},
                    "role": {"type": "string"},
                    "status": STATUS,
                },
            },
        }
    },
}

_INT = {"type": "integer"}
_NULLABLE_INT = {"type": ["integer", "null"]}
SESSION_COUNTS = {
    "type": "object",
    "required": ["id", "title", "registered", "present", "absent", "late", "on_time", "state"],
    "properties": {
        "id": _INT,
        "title": {"type": "string"},
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"},
        "late_after": {"type": "string", "format": "date-time"},
        "mandatory": {"type": "boolean"},
        "state": {"type": "string", "enum": ["upcoming", "running", "ended"]},
        "registered": _INT,
        "present": _INT,
        "absent": _INT,
        "late": _INT,
        "on_time": _INT,
    },
}
ATTENDANCE = {
    "type": "object",
    "required": ["event", "generated_at", "registered", "sessions", "units", "eligible"],
    "properties": {
        "event": {
            "type": "object",
            "properties": {
                "id": _INT,
                "title": {"type": "string"},
                "attendance_rule": {"type": "string"},
                "attendance_rule_label": {"type": "string"},
                "late_tolerance_minutes": _INT,
            },
        },
        "generated_at": {"type": "string", "format": "date-time"},
        "unit_id": _NULLABLE_INT,
        "session_id": _NULLABLE_INT,
        "registered": _INT,
        "session": {"oneOf": [{"$ref": "#/components/schemas/SessionCounts"}, {"type": "null"}]},
        "sessions": {"type": "array", "items": {"$ref": "#/components/schemas/SessionCounts"}},
        "units": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "registered", "present"],
                "properties": {
                    "id": _NULLABLE_INT,
                    "name": {"type": "string"},
                    "short_name": _NULLABLE_STR,
                    "invited": {"type": "boolean"},
                    "quota": _NULLABLE_INT,
                    "registered": _INT,
                    "present": _INT,
                    "eligible": _INT,
                },
            },
        },
        "units_without_attendance": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": _NULLABLE_INT, "name": {"type": "string"}},
            },
        },
        "eligible": {
            "type": "object",
            "properties": {
                "rule": {"type": "string"},
                "label": {"type": "string"},
                "count": _INT,
                "not_eligible": _INT,
                "required_session_ids": {"type": "array", "items": _INT},
            },
        },
    },
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    text = {
        400: "Invalid request (see reason).",
        401: "No valid token or session.",
        403: "The role may not use this operation.",
        404: "No such event, or not assigned to it.",
    }
    return {str(c): _json(_ref("Error"), text[c]) for c in codes}


EVENT_ID = {
    "name": "event_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sosialisasi API",
            "version": "1.0.0",
            "description": "Check-in at the door and attendance counts for Pemerintah Kabupaten "
            "Bekasi events. Messages are in Indonesian.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}, {"cookieAuth": []}],
        "paths": {
            "/events/{event_id}/checkins": {
                "post": {
                    "operationId": "createCheckin",
                    "summary": "Check a ticket in to a session (scanner, USB, typed, offline sync)",
                    "description": "Browser sessions must send the X-CSRFToken header.",
                    "parameters": [EVENT_ID],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("CheckInRequest")}},
                    },
                    "responses": {
                        "201": _json(_ref("CheckInResult"), "ok: checked in now."),
                        "200": _json(_ref("CheckInResult"), "already: checked in before."),
                        "404": _json(
                            {"anyOf": [_ref("CheckInResult"), _ref("Error")]},
                            "unknown ticket, or no such event.",
                        ),
                        "409": _json(
                            _ref("CheckInResult"),
                            "wrong_event, cancelled (or not approved), not_open.",
                        ),
                        **_errors(400, 401, 403),
                    },
                }
            },
            "/events/{event_id}/checkins/{checkin_id}": {
                "delete": {
                    "operationId": "deleteCheckin",
                    "summary": "Undo a check-in with a reason (organizers); audited",
                    "description": "Browser sessions must send the X-CSRFToken header.",
                    "parameters": [
                        EVENT_ID,
                        {
                            "name": "checkin_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("UndoRequest")}},
                    },
                    "responses": {
                        "200": _json(_ref("UndoResult"), "Undone."),
                        **_errors(400, 401, 403, 404),
                    },
                }
            },
            "/events/{event_id}/roster": {
                "get": {
                    "operationId": "getRoster",
                    "summary": "Every registration with ticket codes, for offline scanning",
                    "parameters": [EVENT_ID],
                    "responses": {
                        "200": _json(_ref("Roster"), "The roster."),
                        **_errors(401, 403, 404),
                    },
                }
            },
            "/events/{event_id}/search": {
                "get": {
                    "operationId": "searchRegistrations",
                    "summary": "Find registrations by name (3+ letters) or NIP (4+ digits)",
                    "parameters": [
                        EVENT_ID,
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "maxLength": 100},
                        },
                    ],
                    "responses": {
                        "200": _json(_ref("SearchResults"), "At most 8 matches."),
                        **_errors(400, 401, 403, 404),
                    },
                }
            },
            "/events/{event_id}/attendance": {
                "get": {
                    "operationId": "getAttendance",
                    "summary": "Counts per session and per unit",
                    "parameters": [
                        EVENT_ID,
                        {
                            "name": "session_id",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 999999999},
                        },
                    ],
                    "responses": {
                        "200": _json(_ref("Attendance"), "The counts."),
                        **_errors(400, 401, 403, 404),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        **_errors(401),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                "Error": ERROR,
                "Person": PERSON,
                "CheckInRequest": CHECKIN_REQUEST,
                "CheckInResult": CHECKIN_RESULT,
                "UndoRequest": {
                    "type": "object",
                    "required": ["reason"],
                    "additionalProperties": False,
                    "properties": {"reason": {"type": "string", "minLength": 3, "maxLength": 300}},
                },
                "UndoResult": {
                    "type": "object",
                    "required": ["result", "message"],
                    "properties": {
                        "result": {"type": "string", "enum": ["undone"]},
                        "message": {"type": "string"},
                    },
                },
                "Session": SESSION,
                "Roster": ROSTER,
                "SearchResults": SEARCH,
                "SessionCounts": SESSION_COUNTS,
                "Attendance": ATTENDANCE,
            },
        },
    }
