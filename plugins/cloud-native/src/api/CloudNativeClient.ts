import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CLOUD_NATIVE_PLUGIN_ID } from '@internal/backstage-plugin-cloud-native-common';
import {
  CloudNativeApi,
  CloudNativeEntityRef,
  CloudNativeReportResponse,
  ReportHistoryResponse,
  RevalidationResponse,
} from './types';

/**
 * Talks to the cloud-native backend plugin through the discovery and fetch
 * APIs (so requests carry the user's Backstage token).
 *
 * @public
 */
export class CloudNativeClient implements CloudNativeApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getReport(
    entityRef: CloudNativeEntityRef,
  ): Promise<CloudNativeReportResponse> {
    return this.request(entityRef, 'report', 'GET');
  }

  async getHistory(
    entityRef: CloudNativeEntityRef,
  ): Promise<ReportHistoryResponse> {
    return this.request(entityRef, 'history', 'GET');
  }

  async revalidate(
    entityRef: CloudNativeEntityRef,
  ): Promise<RevalidationResponse> {
    return this.request(entityRef, 'revalidate', 'POST');
  }

  private async request<T>(
    entityRef: CloudNativeEntityRef,
    resource: 'report' | 'history' | 'revalidate',
    method: 'GET' | 'POST',
  ): Promise<T> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const baseUrl = await this.discoveryApi.getBaseUrl(CLOUD_NATIVE_PLUGIN_ID);
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    const response = await this.fetchApi.fetch(
      `${baseUrl}/entities/${path}/${resource}`,
      { method },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
