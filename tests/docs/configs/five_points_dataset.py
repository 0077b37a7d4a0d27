# docs/add_a_dataset.md: the five-point set as a dataset class of its own,
# registered by the module that custom_imports names (here the test file
# tests/docs/test_add_a_dataset.py; yours: any importable module).
_base_ = ['five_points_base.py']
custom_imports = dict(imports=['test_add_a_dataset'])

dataset = dict(type='FivePointsDataset', data_root=_base_.data_root,
               data_prefix=dict(img='images/'))
train_dataloader = dict(dataset=dict(dataset, _delete_=True,
                                     ann_file='annotations/train.json',
                                     pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(dataset, _delete_=True,
                                   ann_file='annotations/val.json',
                                   test_mode=True,
                                   pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader
