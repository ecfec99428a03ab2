import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../src/features/read-csv.js';

describe('a wrong --sep is named, with the separator that looks right', () => {
  const semicolons = 'name;note;won\nAnn;"said ""hi""";yes\nBob;x "quoted" here;no\n';

  it('for malformed quoting read with the wrong separator', () => {
    expect(() => parseCsvText('id;note\n1;"a";b"\n2;c\n', { delimiter: ',', source: 'leads.csv' })).toThrow(
      /malformed CSV \(.*; separator ","\)\. The file looks ";"-separated: pass --sep ';', or leave --sep out to detect it\./,
    );
    expect(() => parseCsvText(semicolons, { delimiter: ',', source: 'leads.csv' })).toThrow(/The file looks ";"-separated/);
  });

  it('for a ragged row read with the wrong separator', () => {
    expect(() => parseCsvText('a;b;c\n1;2;3\n4,5;6;7\n', { delimiter: ',', source: 'leads.csv' })).toThrow(
      /the row has 2 fields but the header has 1 \(separator ","\)\. The file looks ";"-separated: pass --sep ';'/,
    );
  });
});
