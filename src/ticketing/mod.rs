//! What opal-jira does with tickets beyond reading them: knowing what kind of project a
//! ticket lives in (`project`), giving each ticket the link its requester can open
//! (`links`: the customer portal for Jira Service Management), creating the ticket for a
//! request (`create`), and telling a ticket when the access bound to it starts and
//! ends (`comments`).

pub mod comments;
pub mod create;
pub mod links;
pub mod project;
