/**
 * Error bodies in the envelope each provider really uses. ARM and Microsoft.Network answer
 * {"error":{"code","message"}}; App Service (Microsoft.Web) answers its own capitalised envelope, which the SDK
 * cannot parse into RestError.code, so a faithful simulator must reproduce it for the product's error path to be tested.
 */

export interface ArmErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: readonly unknown[] };
}

export interface AppServiceErrorBody {
  readonly Code: string;
  readonly Message: string;
  readonly Target: null;
  readonly Details: readonly unknown[];
  readonly Innererror: null;
}

export function armErrorBody(code: string, message: string): ArmErrorBody {
  return { error: { code, message } };
}

export function appServiceErrorBody(code: string, message: string, extendedCode = '51021'): AppServiceErrorBody {
  return {
    Code: code,
    Message: message,
    Target: null,
    Details: [
      { Message: message },
      { Code: code },
      { ErrorEntity: { ExtendedCode: extendedCode, MessageTemplate: message, Parameters: [], Code: code, Message: message } },
    ],
    Innererror: null,
  };
}

/** The body a resource provider would send for this error; ARM's own envelope for anything but Microsoft.Web. */
export function providerErrorBody(provider: string | undefined, code: string, message: string): ArmErrorBody | AppServiceErrorBody {
  return provider?.toLowerCase() === 'microsoft.web' ? appServiceErrorBody(code, message) : armErrorBody(code, message);
}

/** Retry-After is whole seconds of real time; ARM never sends 0 for a throttled call. */
export function retryAfterSeconds(simulatedMs: number, clockFactor: number): number {
  return Math.max(1, Math.ceil(simulatedMs / clockFactor / 1000));
}
