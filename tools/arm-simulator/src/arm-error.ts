/**
 * Errors the simulator answers with, rendered in the envelope the real service uses:
 * - 'arm': Azure Resource Manager's own `{error:{code,message}}` (auth, api-version, routing, not found),
 * - 'network': Microsoft.Network's `{error:{code,message,details}}`,
 * - 'web': App Service's capitalised `{Code,Message,Target,Details,Innererror}`, which @azure/arm-appservice 19.x
 *   cannot parse (it surfaces "Unexpected status code"), exactly as against real Azure.
 */
export type ErrorEnvelope = 'arm' | 'network' | 'web';

export class ArmHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly envelope: ErrorEnvelope = 'arm',
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ArmHttpError';
  }

  body(): unknown {
    return errorBody(this.envelope, this.code, this.message, this.status);
  }
}

export function errorBody(envelope: ErrorEnvelope, code: string, message: string, status = 400): unknown {
  if (envelope === 'web') {
    // App Service puts the HTTP reason phrase in Code and its own extended code inside ErrorEntity.
    const phrase = status === 409 ? 'Conflict' : status === 404 ? 'NotFound' : 'BadRequest';
    return {
      Code: phrase,
      Message: message,
      Target: null,
      Details: [
        { Message: message },
        { Code: phrase },
        { ErrorEntity: { ExtendedCode: code, MessageTemplate: message, Parameters: [], Code: phrase, Message: message } },
      ],
      Innererror: null,
    };
  }
  if (envelope === 'network') return { error: { code, message, details: [] } };
  return { error: { code, message } };
}

export const notFound = (typeName: string, name: string, resourceGroup: string | undefined): ArmHttpError =>
  new ArmHttpError(
    404,
    'ResourceNotFound',
    `The Resource '${typeName}/${name}' under resource group '${resourceGroup ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );

export const parentNotFound = (parentType: string, parentName: string, resourceGroup: string | undefined): ArmHttpError =>
  new ArmHttpError(
    404,
    'ParentResourceNotFound',
    `Failed to perform 'write' on resource(s) of type '${parentType}', because the parent resource '${parentName}' could not be found in resource group '${resourceGroup ?? ''}'.`,
  );

export const invalidRequestContent = (detail: string): ArmHttpError =>
  new ArmHttpError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${detail}'.`);

export const badRequest = (envelope: ErrorEnvelope, code: string, message: string): ArmHttpError =>
  new ArmHttpError(400, code, message, envelope);
