import { notFound } from '../arm-error.js';
import { deepClone, isRecord, newEtag, objectBody, paged, propertiesOf, requireLocation, stringProp, tagsOf } from '../arm-helpers.js';
import type { JsonObject } from '../arm-helpers.js';
import type { ArmCall, ArmHandler, ArmResult } from '../router.js';
import type { StoredResource } from '../store.js';

/**
 * Top-level Microsoft.Network resources the migration only reads or references (VPN gateways, NSGs, route tables,
 * NAT gateways): stored as given, answered synchronously, with ids filled into their inline children.
 */
export interface SimpleResourceHandlers {
  readonly put: ArmHandler;
  readonly get: ArmHandler;
  readonly delete: ArmHandler;
  readonly list: ArmHandler;
}

export function simpleNetworkResource(typeSegment: string, inlineChildren: readonly string[] = []): SimpleResourceHandlers {
  const type = `Microsoft.Network/${typeSegment}`;
  const idOf = (call: ArmCall): string =>
    `/subscriptions/${call.params['sub'] ?? ''}/resourceGroups/${call.params['rg'] ?? ''}/providers/${type}/${call.params['name'] ?? ''}`;

  const render = (r: StoredResource): JsonObject => {
    const props = deepClone(r.properties) as JsonObject;
    for (const child of inlineChildren) {
      const items = props[child];
      if (!Array.isArray(items)) {
        props[child] = [];
        continue;
      }
      props[child] = items.map((item: unknown) => {
        const obj = isRecord(item) ? item : {};
        const name = stringProp(obj, 'name') ?? '';
        const childProps = isRecord(obj['properties']) ? { ...obj['properties'], provisioningState: 'Succeeded' } : { provisioningState: 'Succeeded' };
        return { ...obj, name, id: `${r.id}/${child}/${name}`, etag: r.etag, properties: childProps };
      });
    }
    props['provisioningState'] = 'Succeeded';
    return {
      name: r.name,
      id: r.id,
      etag: r.etag,
      type,
      location: r.location,
      ...(r.tags === undefined ? {} : { tags: r.tags }),
      properties: props,
    };
  };

  return {
    put: (call: ArmCall): ArmResult => {
      const body = objectBody(call);
      const location = requireLocation(body, 'network');
      const existing = call.ctx.store.get(idOf(call));
      const props = deepClone(propertiesOf(body));
      delete props['provisioningState'];
      if (existing === undefined || props['resourceGuid'] === undefined) props['resourceGuid'] = existing?.properties['resourceGuid'] ?? crypto.randomUUID();
      const tags = tagsOf(body);
      const stored: StoredResource = {
        id: existing?.id ?? idOf(call),
        name: existing?.name ?? call.params['name'] ?? '',
        type,
        location,
        ...(tags === undefined ? {} : { tags }),
        properties: props,
        etag: newEtag(),
      };
      call.ctx.store.put(stored);
      return { status: existing === undefined ? 201 : 200, body: render(stored) };
    },
    get: (call: ArmCall): ArmResult => {
      const r = call.ctx.store.get(idOf(call));
      if (r === undefined) throw notFound(type, call.params['name'] ?? '', call.params['rg']);
      return { status: 200, body: render(r) };
    },
    delete: (call: ArmCall): ArmResult => ({ status: call.ctx.store.deleteTree(idOf(call)) ? 200 : 204 }),
    list: (call: ArmCall): ArmResult => {
      const { sub, rg } = call.params;
      const scope = rg === undefined ? `/subscriptions/${sub ?? ''}` : `/subscriptions/${sub ?? ''}/resourceGroups/${rg}`;
      return paged(call, call.ctx.store.ofType(type, scope), render);
    },
  };
}
