import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, tableName } from './client';

/**
 * Records of the local stand-ins for the national CVEC and INES services, fed by
 * `POST /dev/cvec` and `POST /dev/ines`. Kept in the table so they survive restarts of the
 * local runtime. Never used on AWS (the production adapters call the national APIs).
 */
export interface CvecFixture {
  certificateNumber: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  state: number;
}

export interface InesFixture {
  ine: string;
  birthDate: string;
}

export async function putCvecFixture(f: CvecFixture): Promise<void> {
  await ddb.send(new PutCommand({ TableName: tableName(), Item: { pk: `DEV#CVEC#${f.certificateNumber}`, sk: 'FIXTURE', ...f } }));
}

export async function getCvecFixture(certificateNumber: string): Promise<CvecFixture | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: { pk: `DEV#CVEC#${certificateNumber}`, sk: 'FIXTURE' } }));
  return out.Item as CvecFixture | undefined;
}

export async function putInesFixture(f: InesFixture): Promise<void> {
  await ddb.send(new PutCommand({ TableName: tableName(), Item: { pk: `DEV#INES#${f.ine}`, sk: 'FIXTURE', ...f } }));
}

export async function getInesFixture(ine: string): Promise<InesFixture | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName(), Key: { pk: `DEV#INES#${ine}`, sk: 'FIXTURE' } }));
  return out.Item as InesFixture | undefined;
}
