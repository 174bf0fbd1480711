-- Links proposed (issue 11): an activity linked to a goal of a plan that the person who linked
-- it does not own waits for that plan's owner to accept it. Until then it is a proposal, kept
-- apart from the links the plan's pages and reports show.

CREATE TABLE activity_proposal (
    activity_id BIGINT NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    goal_node_id BIGINT NOT NULL REFERENCES goal_node (id),
    position BIGINT NOT NULL,
    PRIMARY KEY (activity_id, goal_node_id)
);

CREATE INDEX activity_proposal_node ON activity_proposal (goal_node_id);
