import { isNumberType, type FieldDef, type ObjectDef } from './fields.js';
import { isFilterable, isLongTextArea, isSortable } from './query-flags.js';

/**
 * describe and describeGlobal bodies with the keys jsforce's DescribeSObjectResult and
 * DescribeGlobalResult types name, so SDK code that reads them finds what it expects.
 */

function soapType(f: FieldDef): string {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'tns:ID';
    case 'boolean':
      return 'xsd:boolean';
    case 'double':
    case 'currency':
    case 'percent':
      return 'xsd:double';
    case 'int':
      return 'xsd:int';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    case 'complexvalue':
      return 'urn:JsonNode';
    case 'address':
      return 'urn:address';
    default:
      return 'xsd:string';
  }
}

export function describeField(f: FieldDef): Record<string, unknown> {
  const compound = f.type === 'address';
  const text = !compound && !isNumberType(f.type) && f.type !== 'boolean' && f.type !== 'date' && f.type !== 'datetime';
  const length = text ? (f.length ?? 0) : 0;
  const longText = isLongTextArea(f);
  return {
    aggregatable: !longText && !compound,
    aiPredictionField: false,
    autoNumber: false,
    byteLength: length * 3,
    calculated: false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: f.compoundFieldName ?? null,
    controllerName: null,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.type === 'boolean' ? (f.defaultValue ?? false) : null,
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultValue !== undefined || f.name === 'Id' || f.type === 'boolean' || f.name === 'OwnerId',
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? (f.precision ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: !!f.externalId,
    extraTypeInfo: f.extraTypeInfo ?? null,
    filterable: isFilterable(f),
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: text && !longText,
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.name === 'Id' || f.type === 'email',
    inlineHelpText: f.inlineHelpText ?? null,
    label: f.label,
    length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.name === 'Name',
    namePointing: false,
    nillable: f.nillable,
    permissionable: f.custom || (f.nillable && f.updateable),
    picklistValues: f.picklistValues ?? [],
    polymorphicForeignKey: false,
    precision: f.type === 'int' ? 0 : (f.precision ?? 0),
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: !!f.restrictedPicklist,
    scale: f.scale ?? 0,
    searchPrefilterable: false,
    soapType: soapType(f),
    sortable: isSortable(f),
    type: f.type,
    unique: false,
    updateable: f.updateable,
    writeRequiresMasterRead: false,
  };
}

function urls(o: ObjectDef, version: string): Record<string, string> {
  const base = `/services/data/v${version}/${o.urlBase}/${o.name}`;
  return {
    sobject: base,
    describe: `${base}/describe`,
    rowTemplate: `${base}/{ID}`,
  };
}

function globalEntry(o: ObjectDef, version: string): Record<string, unknown> {
  return {
    activateable: false,
    createable: true,
    custom: false,
    customSetting: false,
    deletable: true,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isSubtype: false,
    keyPrefix: o.keyPrefix,
    label: o.label,
    labelPlural: o.labelPlural,
    layoutable: true,
    mergeable: o.name !== 'Opportunity',
    mruEnabled: true,
    name: o.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: true,
    updateable: true,
    urls: urls(o, version),
  };
}

export function describeGlobal(objects: ObjectDef[], version: string): Record<string, unknown> {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: objects.map((o) => globalEntry(o, version)) };
}

export function describeObject(o: ObjectDef, version: string): Record<string, unknown> {
  return {
    ...globalEntry(o, version),
    actionOverrides: [],
    childRelationships: [],
    compactLayoutable: true,
    fields: o.fields.map(describeField),
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: true,
    supportedScopes: [{ label: 'All leads', name: 'everything' }],
    urls: {
      ...urls(o, version),
      compactLayouts: `/services/data/v${version}/${o.urlBase}/${o.name}/describe/compactLayouts`,
    },
  };
}

export function basicInfo(o: ObjectDef, version: string): Record<string, unknown> {
  return { objectDescribe: globalEntry(o, version), recentItems: [] };
}
