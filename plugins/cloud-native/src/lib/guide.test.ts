import { guideToMarkdown, isGuideEmpty, isShellCommand } from './guide';

describe('guide', () => {
  it('recognizes the commands the engine writes', () => {
    expect(isShellCommand('kubectl apply -k kubernetes/prod')).toBe(true);
    expect(isShellCommand('  helm upgrade --install shop helm/shop')).toBe(
      true,
    );
    expect(isShellCommand('sam deploy --guided')).toBe(true);
    expect(isShellCommand('Build, scan and push the images')).toBe(false);
  });

  it('renders the lists as Markdown with commands as inline code', () => {
    expect(
      guideToMarkdown({
        prerequisites: ['kubectl 1.30+'],
        steps: [
          'Build the images: see containers/BUILD.md',
          'kubectl apply -k k8s/prod',
        ],
        validation: ['kubectl rollout status deployment/web'],
        rollback: ['kubectl rollout undo deployment/web'],
      }),
    ).toBe(
      [
        '### Prerequisites',
        '- kubectl 1.30+',
        '',
        '### Steps',
        '1. Build the images: see containers/BUILD.md',
        '2. `kubectl apply -k k8s/prod`',
        '',
        '### Validation',
        '1. `kubectl rollout status deployment/web`',
        '',
        '### Rollback',
        '1. `kubectl rollout undo deployment/web`',
      ].join('\n'),
    );
  });

  it('keeps backticks inside commands intact', () => {
    expect(
      guideToMarkdown({
        prerequisites: [],
        steps: ['kubectl get pods -o jsonpath=`{.items}`'],
        validation: [],
        rollback: [],
      }),
    ).toBe('### Steps\n1. `` kubectl get pods -o jsonpath=`{.items}` ``');
  });

  it('leaves out empty sections', () => {
    const empty = {
      prerequisites: [],
      steps: [],
      validation: [],
      rollback: [],
    };
    expect(guideToMarkdown(empty)).toBe('');
    expect(isGuideEmpty(empty)).toBe(true);
    expect(isGuideEmpty({ ...empty, rollback: ['x'] })).toBe(false);
  });
});
