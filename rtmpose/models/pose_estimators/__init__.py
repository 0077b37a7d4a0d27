from .topdown import TopdownPoseEstimator, input_to_image_coords

__all__ = ['TopdownPoseEstimator', 'input_to_image_coords']
