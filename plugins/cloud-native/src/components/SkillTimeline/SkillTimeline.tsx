import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Collapse from '@material-ui/core/Collapse';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Timeline from '@material-ui/lab/Timeline';
import TimelineConnector from '@material-ui/lab/TimelineConnector';
import TimelineContent from '@material-ui/lab/TimelineContent';
import TimelineDot from '@material-ui/lab/TimelineDot';
import TimelineItem from '@material-ui/lab/TimelineItem';
import TimelineOppositeContent from '@material-ui/lab/TimelineOppositeContent';
import TimelineSeparator from '@material-ui/lab/TimelineSeparator';
import { TraceEntry } from '@internal/backstage-plugin-cloud-native-common';
import { CloudNativeReport } from '../../api/types';
import { formatDuration } from '../../lib/format';
import { StatusKind, StatusText } from '../shared/StatusIcons';

const useStyles = makeStyles(theme => ({
  opposite: { flex: 0, minWidth: 88, paddingLeft: 0 },
  track: {
    position: 'relative',
    height: 6,
    borderRadius: 3,
    background: theme.palette.action.hover,
    margin: theme.spacing(0.5, 0),
  },
  bar: {
    position: 'absolute',
    top: 0,
    height: 6,
    borderRadius: 3,
    background: theme.palette.primary.main,
    minWidth: 2,
  },
}));

type SkillState = 'ok' | 'warning' | 'failed' | 'skipped';

function skillState(entry: TraceEntry): SkillState {
  if (entry.status === 'failed') return 'failed';
  if (entry.status === 'skipped') return 'skipped';
  return entry.findings > 0 ? 'warning' : 'ok';
}

/** The icon and the word of each skill state. */
const SKILL_STATUS: Record<SkillState, { kind: StatusKind; word: string }> = {
  failed: { kind: 'error', word: 'failed' },
  skipped: { kind: 'pending', word: 'skipped' },
  warning: { kind: 'warning', word: 'ok, with findings' },
  ok: { kind: 'ok', word: 'ok' },
};

function SkillStatus(props: { state: SkillState }) {
  const { kind, word } = SKILL_STATUS[props.state];
  return <StatusText kind={kind}>{word}</StatusText>;
}

const DOT_COLOR: Record<SkillState, 'primary' | 'secondary' | 'grey'> = {
  ok: 'primary',
  warning: 'primary',
  failed: 'secondary',
  skipped: 'grey',
};

function Notes(props: { notes: string[]; skill: string }) {
  const [open, setOpen] = useState(false);
  if (!props.notes.length) {
    return null;
  }
  return (
    <>
      <Button
        size="small"
        aria-expanded={open}
        aria-label={`${open ? 'Hide' : 'Show'} the notes of ${props.skill}`}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide' : 'Show'} {props.notes.length} note
        {props.notes.length === 1 ? '' : 's'}
      </Button>
      <Collapse in={open} unmountOnExit>
        <ul style={{ marginTop: 0 }}>
          {props.notes.map((note, index) => (
            <li key={index}>
              <Typography variant="body2">{note}</Typography>
            </li>
          ))}
        </ul>
      </Collapse>
    </>
  );
}

/**
 * The skills of the run in order: duration, files, findings, status and the
 * notes each skill left. When timings were recorded, a bar shows when each
 * skill ran within the run.
 */
export function SkillTimeline(props: { report: CloudNativeReport }) {
  const classes = useStyles();
  const { trace, skills_invoked: invoked } = props.report;
  const reasons = new Map(invoked.map(s => [s.skill, s.reason]));
  const runEnd = Math.max(
    0,
    ...trace.map(t => (t.startMs ?? 0) + (t.durationMs ?? 0)),
  );

  return (
    <InfoCard
      title="Skill trace"
      subheader={`${trace.length} skill${trace.length === 1 ? '' : 's'} ran`}
    >
      {trace.length === 0 ? (
        <Typography variant="body2">The report has no trace.</Typography>
      ) : (
        <Timeline align="left" aria-label="Skill trace">
          {trace.map((entry, index) => {
            const state = skillState(entry);
            return (
              <TimelineItem
                key={`${entry.skill}-${index}`}
                data-testid={`skill-${entry.skill}`}
              >
                <TimelineOppositeContent className={classes.opposite}>
                  <Typography variant="body2" color="textSecondary">
                    {formatDuration(entry.durationMs)}
                  </Typography>
                </TimelineOppositeContent>
                <TimelineSeparator>
                  <TimelineDot
                    color={DOT_COLOR[state]}
                    variant={state === 'ok' ? 'default' : 'outlined'}
                  />
                  {index < trace.length - 1 && <TimelineConnector />}
                </TimelineSeparator>
                <TimelineContent>
                  <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                    <Typography variant="subtitle1" component="h3">
                      {entry.skill}
                    </Typography>
                    <Chip size="small" label={entry.tier} />
                    <SkillStatus state={state} />
                  </Box>
                  {reasons.get(entry.skill) && (
                    <Typography variant="body2" color="textSecondary">
                      {reasons.get(entry.skill)}
                    </Typography>
                  )}
                  <Typography variant="body2">
                    {entry.files} file{entry.files === 1 ? '' : 's'} ·{' '}
                    {entry.findings} finding{entry.findings === 1 ? '' : 's'}
                  </Typography>
                  {runEnd > 0 && entry.durationMs !== undefined && (
                    <div
                      className={classes.track}
                      title={`${formatDuration(
                        entry.startMs ?? 0,
                      )} → ${formatDuration(
                        (entry.startMs ?? 0) + entry.durationMs,
                      )}`}
                    >
                      <div
                        className={classes.bar}
                        style={{
                          left: `${((entry.startMs ?? 0) / runEnd) * 100}%`,
                          width: `${(entry.durationMs / runEnd) * 100}%`,
                        }}
                      />
                    </div>
                  )}
                  <Notes notes={entry.notes} skill={entry.skill} />
                </TimelineContent>
              </TimelineItem>
            );
          })}
        </Timeline>
      )}
    </InfoCard>
  );
}
