import { ServicePlan } from '@internal/backstage-plugin-cloud-native-common';
import { GeneratedFile, Skill, SkillOutput } from '../../core/types';
import { BUILD_DOC_PATH, renderBuildDoc } from './buildDoc';
import { ImageContext, imageContext } from './context';
import { renderDockerignore } from './dockerignore';
import { LANGUAGE_PROFILES } from './languages';
import { healthcheckChoice, renderDockerfile } from './render';
import { WORKFLOW_PATH, renderWorkflow } from './workflow';
import { byKey } from '../../core/collections';

const byName = byKey((s: ServicePlan) => s.name);

function note(image: ImageContext): string {
  const profile = LANGUAGE_PROFILES[image.language];
  const health = healthcheckChoice(profile, image);
  const parts = [
    `${image.name}: ${image.language} multi-stage → ${profile.runtimeLabel(
      image,
    )}, non-root ${profile.user}`,
    image.exposePort === undefined
      ? 'no EXPOSE (serves no port)'
      : `EXPOSE ${image.exposePort}`,
  ];
  if (health.kind === 'healthcheck') {
    parts.push(`HEALTHCHECK via ${health.tool}`);
  } else if (image.serving && image.health) {
    parts.push(`no HEALTHCHECK (${health.why}; Kubernetes probes cover it)`);
  }
  if (image.serving && image.listenPort < 1024) {
    parts.push(
      `port ${image.listenPort} < 1024: a non-root process binds it only where net.ipv4.ip_unprivileged_port_start allows; prefer 8080`,
    );
  }
  return parts.join(', ');
}

/**
 * The container-image-optimizer skill: for every service that builds its
 * own image, a multi-stage Dockerfile with a minimal non-root runtime and its
 * ignore file; once per package, containers/BUILD.md and a GitHub Actions
 * workflow that builds, scans (Trivy) and publishes the images.
 */
export const containerImageOptimizer: Skill = {
  id: 'container-image-optimizer',
  run({ plan }): SkillOutput {
    const built = plan.services.filter(s => s.buildsImage).sort(byName);
    const prebuilt = plan.services.filter(s => !s.buildsImage).sort(byName);
    const images = built.map(imageContext);

    const files: GeneratedFile[] = images.flatMap(image => {
      const profile = LANGUAGE_PROFILES[image.language];
      return [
        { path: image.dockerfile, content: renderDockerfile(profile, image) },
        {
          path: `${image.dockerfile}.dockerignore`,
          content: renderDockerignore(profile, image),
        },
      ];
    });
    if (images.length > 0) {
      files.push(
        { path: BUILD_DOC_PATH, content: renderBuildDoc(plan.name, images) },
        { path: WORKFLOW_PATH, content: renderWorkflow(images) },
      );
    }
    files.sort((a, b) => {
      if (a.path < b.path) return -1;
      return a.path > b.path ? 1 : 0;
    });

    const notes = [
      ...images.map(note),
      ...prebuilt.map(
        service =>
          `${service.name}: prebuilt image ${service.image}, no Dockerfile`,
      ),
    ];
    if (images.length === 0) {
      notes.push(
        'no service builds its own image: no Dockerfiles, no workflow',
      );
    }
    return { files, manifests: [], notes };
  },
};
