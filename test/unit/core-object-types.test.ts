import { describe, expect, it } from 'vitest';
import {
  associationTypeIds,
  isObjectType,
  objectSingulars,
  objectTypeFromId,
  objectTypeFromName,
  objectTypeFromSubscription,
  objectTypeInfo,
  objectTypes,
  singularOf,
} from '../../src/core/object-types.js';

const rows = objectTypes.map((t) => [t, objectTypeInfo(t)] as const);

describe('the object-type table', () => {
  it('has every field for every type, and names that key the row', () => {
    for (const [type, row] of rows) {
      expect(row.plural).toBe(type);
      expect(row.singular).toMatch(/^[a-z]+$/);
      expect(row.singular).not.toBe(row.plural);
      expect(row.objectTypeId).toMatch(/^0-\d+$/);
      expect(row.label).toBe(row.singular.toUpperCase());
      expect(['lastmodifieddate', 'hs_lastmodifieddate']).toContain(row.modifiedDateProperty);
      expect(row.displayProperties[0]).toBe('hs_object_id');
      expect(row.markerProperties.length).toBeGreaterThan(0);
      for (const scope of Object.values(row.scopes)) expect(scope).toMatch(/^[a-z][a-z0-9._]*$/);
    }
  });

  it('gives no two types the same plural, singular, id or label', () => {
    for (const field of ['plural', 'singular', 'objectTypeId', 'label'] as const) {
      const values = rows.map(([, row]) => row[field]);
      expect(new Set(values).size, field).toBe(values.length);
    }
    expect(objectSingulars).toEqual(rows.map(([, row]) => row.singular));
  });

  it('keeps marker properties to one type each, so they tell a type apart', () => {
    const seen = new Map<string, string>();
    for (const [type, row] of rows) {
      for (const name of row.markerProperties) {
        expect(seen.get(name), `${name} marks ${seen.get(name)} and ${type}`).toBeUndefined();
        seen.set(name, type);
      }
    }
  });

  it('has association type ids both ways for every pair it names, with distinct ids', () => {
    const ids: number[] = [];
    for (const [from, row] of rows) {
      for (const [to, pair] of Object.entries(row.associations)) {
        expect(isObjectType(to), `${from}->${to}`).toBe(true);
        expect(to).not.toBe(from);
        if (!isObjectType(to)) continue;
        expect(associationTypeIds(to, from), `${to}->${from} is missing`).toBeDefined();
        // A HubSpot "Primary" type exists both ways or neither.
        expect(associationTypeIds(to, from)?.primary === undefined).toBe(pair.primary === undefined);
        ids.push(pair.unlabeled, ...(pair.primary === undefined ? [] : [pair.primary]));
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('records the association type ids HubSpot documents', () => {
    expect(associationTypeIds('contacts', 'companies')).toEqual({ unlabeled: 279, primary: 1 });
    expect(associationTypeIds('companies', 'contacts')).toEqual({ unlabeled: 280, primary: 2 });
    expect(associationTypeIds('deals', 'contacts')).toEqual({ unlabeled: 3 });
    expect(associationTypeIds('contacts', 'deals')).toEqual({ unlabeled: 4 });
    expect(associationTypeIds('deals', 'companies')).toEqual({ unlabeled: 341, primary: 5 });
    expect(associationTypeIds('companies', 'deals')).toEqual({ unlabeled: 342, primary: 6 });
    expect(associationTypeIds('contacts', 'tickets')).toEqual({ unlabeled: 15 });
    expect(associationTypeIds('tickets', 'contacts')).toEqual({ unlabeled: 16 });
    expect(associationTypeIds('companies', 'tickets')).toMatchObject({ primary: 25 });
    expect(associationTypeIds('tickets', 'companies')).toMatchObject({ primary: 26 });
    expect(associationTypeIds('deals', 'tickets')).toEqual({ unlabeled: 27 });
    expect(associationTypeIds('tickets', 'deals')).toEqual({ unlabeled: 28 });
  });

  it('knows tickets: 0-5, `ticket.*` subscriptions, and the one scope `tickets` for records', () => {
    expect(objectTypeFromId('0-5')).toBe('tickets');
    expect(objectTypeFromSubscription('ticket.propertyChange')).toBe('tickets');
    expect(objectTypeInfo('tickets').scopes).toEqual({
      read: 'tickets',
      write: 'tickets',
      schemaRead: 'crm.schemas.tickets.read',
      schemaWrite: 'crm.schemas.tickets.write',
    });
    expect(objectTypeInfo('tickets').markerProperties).toContain('hs_pipeline_stage');
  });

  it('uses the crm.objects/crm.schemas scopes for contacts, deals and companies', () => {
    for (const type of ['contacts', 'deals', 'companies'] as const) {
      expect(objectTypeInfo(type).scopes).toEqual({
        read: `crm.objects.${type}.read`,
        write: `crm.objects.${type}.write`,
        schemaRead: `crm.schemas.${type}.read`,
        schemaWrite: `crm.schemas.${type}.write`,
      });
    }
  });

  it('finds a type by plural, singular, id (any case) and legacy subscription prefix', () => {
    for (const [type, row] of rows) {
      expect(objectTypeFromName(row.plural)).toBe(type);
      expect(objectTypeFromName(row.singular.toUpperCase())).toBe(type);
      expect(objectTypeFromName(row.objectTypeId)).toBe(type);
      expect(objectTypeFromId(row.objectTypeId)).toBe(type);
      expect(objectTypeFromSubscription(`${row.singular}.propertyChange`)).toBe(type);
      expect(singularOf(type)).toBe(row.singular);
    }
    expect(objectTypeFromName('line_item')).toBeNull();
    expect(objectTypeFromId('0-7')).toBeNull();
    expect(objectTypeFromSubscription('object.propertyChange')).toBeNull();
    expect(isObjectType('toString')).toBe(false);
  });
});
