import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { CloudNativeReport } from '../../api/types';

/** What the engine recommends next: cost savings, tier upgrades, fixes. */
export function Recommendations(props: {
  recommendations: CloudNativeReport['recommendations'];
}) {
  const { recommendations } = props;
  return (
    <InfoCard title="Recommendations">
      {recommendations.length === 0 ? (
        <Typography variant="body2">No recommendations.</Typography>
      ) : (
        <List dense aria-label="Recommendations">
          {recommendations.map((recommendation, index) => (
            <ListItem key={index} alignItems="flex-start" divider>
              <Box>
                <Chip
                  size="small"
                  color="primary"
                  variant="outlined"
                  label={recommendation.category}
                />
                <Typography variant="body2" style={{ marginTop: 4 }}>
                  {recommendation.text}
                </Typography>
                {recommendation.motivatedBy && (
                  <Typography variant="caption" color="textSecondary">
                    Motivated by {recommendation.motivatedBy}
                  </Typography>
                )}
              </Box>
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
