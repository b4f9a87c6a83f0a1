export interface Config {
  /** Configuration of the cloud-native backend plugin */
  cloudNative?: {
    reports?: {
      /**
       * Extra local directories (absolute, or relative to the backend's working
       * directory) that count as an entity's repository for `file:` catalog
       * locations. By default a report must sit inside the directory of the
       * entity's own catalog file; a configured root that contains that
       * directory lets the report annotation climb up to the root (for
       * example to a sibling `deploy/` folder of a monorepo). Roots that do not
       * contain the entity's catalog file are never used for that entity.
       */
      allowedLocalRoots?: string[];
      /**
       * How long a fetched deployment report is served from the cache before
       * the source is asked again (conditionally, with the ETag), in seconds.
       * 0 turns the cache off. Default 60.
       */
      cacheTtlSeconds?: number;
      /**
       * How long the catalog's answer for an entity is reused for further
       * requests that carry the same caller token, in seconds (concurrent
       * requests share one catalog call either way). The plugin permission
       * is still checked on every request; a change of the catalog's own
       * read permission or of the entity's annotations is seen within this
       * time. 0 asks the catalog on every request. Default 10.
       */
      entityCacheTtlSeconds?: number;
      /**
       * How long reading a report from a url: location may take, in seconds;
       * a source that does not answer in time is answered with 502. Default
       * 30.
       */
      readTimeoutSeconds?: number;
    };
    revalidate?: {
      /**
       * Run the real tools (helm, kubectl kustomize) when revalidating a
       * package, if they are installed on the backend host. Default false:
       * revalidation then uses the built-in checks only.
       */
      runTools?: boolean;
    };
  };
}
