/**
 * Why a send failed, and whether trying again can help.
 *
 * Retryable: HTTP 429 (Twilio code 20429), any 5xx, network errors and timeouts — Twilio
 * or the path to it is unwell and the same request may succeed later. Permanent: every
 * other 4xx, notably 21211 (invalid `To`), 21610 (recipient opted out with STOP) and
 * 63016 (freeform message outside the 24-hour WhatsApp session window: only a template
 * can reach that person now). Twilio's code, message and `more_info` link are kept for
 * the outbox and the history page.
 *
 * @module
 */

/** Twilio error codes the notifications code acts on. */
export const TwilioErrorCode = {
  AUTHENTICATE: 20003,
  TOO_MANY_REQUESTS: 20429,
  INVALID_TO: 21211,
  OPTED_OUT: 21610,
  OUTSIDE_SESSION_WINDOW: 63016,
} as const;

/** What went wrong, in words the dispatcher and the history page can switch on. */
export type FailureReason =
  | "rate_limited"
  | "twilio_unavailable"
  | "network"
  | "timeout"
  | "invalid_number"
  | "opted_out"
  | "outside_session_window"
  | "authentication"
  | "rejected";

/** A failed send, classified. */
export type SendFailure = {
  retryable: boolean;
  reason: FailureReason;
  /** HTTP status of Twilio's answer; undefined when there was no answer. */
  httpStatus?: number;
  /** Twilio's error code (https://www.twilio.com/docs/api/errors). */
  code?: number;
  message: string;
  moreInfo?: string;
};

/** Classifies an HTTP error answer from Twilio (its JSON `{code, message, more_info, status}`). */
export function classifyTwilioError(
  answer: { httpStatus: number; code?: number; message?: string; moreInfo?: string },
): SendFailure {
  const { httpStatus, code } = answer;
  const base = {
    httpStatus,
    ...(code === undefined ? {} : { code }),
    message: answer.message || `Twilio answered HTTP ${httpStatus}`,
    ...(answer.moreInfo ? { moreInfo: answer.moreInfo } : {}),
  };
  if (httpStatus === 429 || code === TwilioErrorCode.TOO_MANY_REQUESTS) {
    return { retryable: true, reason: "rate_limited", ...base };
  }
  if (httpStatus >= 500) return { retryable: true, reason: "twilio_unavailable", ...base };
  if (httpStatus === 408) return { retryable: true, reason: "timeout", ...base };
  return { retryable: false, reason: permanentReason(httpStatus, code), ...base };
}

/**
 * Classifies an error code reported later, in a status callback (`ErrorCode` with
 * `MessageStatus=failed|undelivered`): WhatsApp often reports 63016 that way.
 */
export function reasonForErrorCode(code: number): FailureReason {
  return permanentReason(400, code);
}

function permanentReason(httpStatus: number, code: number | undefined): FailureReason {
  switch (code) {
    case TwilioErrorCode.INVALID_TO:
      return "invalid_number";
    case TwilioErrorCode.OPTED_OUT:
      return "opted_out";
    case TwilioErrorCode.OUTSIDE_SESSION_WINDOW:
      return "outside_session_window";
  }
  if (httpStatus === 401 || code === TwilioErrorCode.AUTHENTICATE) return "authentication";
  return "rejected";
}

/** No answer from Twilio: the connection failed or took too long. */
export class TransportError extends Error {
  constructor(readonly kind: "network" | "timeout", message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TransportError";
  }
}

/**
 * Classifies anything thrown while sending: the SDK's `RestException` (or
 * `TwilioServiceException`) for an HTTP error answer, a {@link TransportError}, or an
 * unknown error (treated as a network failure: retrying is the safe side, the retry
 * policy bounds it).
 */
export function classifyThrown(error: unknown): SendFailure {
  if (error instanceof TransportError) {
    return { retryable: true, reason: error.kind, message: error.message };
  }
  if (isHttpException(error)) {
    return classifyTwilioError({
      httpStatus: error.status,
      code: typeof error.code === "number" ? error.code : undefined,
      message: typeof error.message === "string" ? error.message : undefined,
      moreInfo: typeof error.moreInfo === "string"
        ? error.moreInfo
        : typeof error.type === "string"
        ? error.type
        : undefined,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return { retryable: true, reason: "network", message };
}

type HttpException = {
  status: number;
  code?: unknown;
  message?: unknown;
  moreInfo?: unknown;
  type?: unknown;
};

function isHttpException(error: unknown): error is HttpException {
  return typeof error === "object" && error !== null &&
    typeof (error as HttpException).status === "number" &&
    (error as HttpException).status >= 400;
}
